"""Result values normalised in one place, so nothing above the backends sees engine types.

- Integral floats become ints: FalkorDB returns ``sum()`` of integers as a float (and 0.0 on no
  rows) where Neo4j returns an int; reports must not differ by engine.
- Nodes and relationships become plain dicts of their properties, with ``_labels``/``_type``.
- Temporal values become ISO strings; ordered maps become dicts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any


def normalise(value: Any) -> Any:
    if value is None or isinstance(value, (bool, str, int)):
        return value
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return int(value)
        return value
    if isinstance(value, Mapping):
        return {str(k): normalise(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [normalise(v) for v in value]
    engine_specific = _engine_value(value)
    if engine_specific is not _UNHANDLED:
        return engine_specific
    return str(value)


_UNHANDLED = object()


def _engine_value(value: Any) -> Any:
    # Duck-typed so this module imports neither driver.
    type_name = type(value).__name__
    if type_name == "Node":
        props = getattr(value, "properties", None)
        if props is None:  # neo4j.graph.Node is itself a mapping-like object
            props = dict(value.items())
        labels = getattr(value, "labels", None) or []
        out = {k: normalise(v) for k, v in props.items()}
        out["_labels"] = sorted(labels)
        return out
    if type_name in ("Edge", "Relationship"):
        props = getattr(value, "properties", None)
        if props is None:
            props = dict(value.items())
        rel_type = getattr(value, "relation", None) or getattr(value, "type", None)
        out = {k: normalise(v) for k, v in props.items()}
        out["_type"] = rel_type
        return out
    if type_name == "Path":
        nodes = value.nodes() if callable(getattr(value, "nodes", None)) else value.nodes
        return [normalise(n) for n in nodes]
    if hasattr(value, "iso_format"):
        return value.iso_format()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return _UNHANDLED


def normalise_rows(columns: list[str], records: list[list[Any]]) -> list[dict[str, Any]]:
    return [{col: normalise(val) for col, val in zip(columns, record)} for record in records]
