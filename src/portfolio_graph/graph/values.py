"""Result values normalised in one place, so nothing above the backends sees engine types.

- Integral floats become ints: FalkorDB returns ``sum()`` of integers as a float (and 0.0 on no
  rows) where Neo4j returns an int; reports must not differ by engine.
- Nodes and relationships become plain dicts of their properties, with ``_labels``/``_type``.
- Temporal values become ISO strings; ordered maps become dicts.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping
from typing import Any


def normalise(value: Any) -> Any:
    if value is None or isinstance(value, (bool, str, int)):
        return value
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return int(value)
        return value
    if type(value) is list:  # the common container, before the engine-type checks below
        return [normalise(v) for v in value]
    # Engine types first: Neo4j's Node and Relationship are Mappings too, and would lose their
    # labels and type as plain dicts.
    engine_specific = _engine_value(value)
    if engine_specific is not _UNHANDLED:
        return engine_specific
    if isinstance(value, Mapping):
        return {str(k): normalise(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [normalise(v) for v in value]
    return str(value)


_UNHANDLED = object()


def _engine_value(value: Any) -> Any:
    # Checked against the driver classes only when that driver is loaded, so this module imports
    # neither. Neo4j makes a Relationship subclass per type, so names cannot be compared.
    neo4j_graph = sys.modules.get("neo4j.graph")
    if neo4j_graph is not None:
        if isinstance(value, neo4j_graph.Node):
            return {**{k: normalise(v) for k, v in value.items()}, "_labels": sorted(value.labels)}
        if isinstance(value, neo4j_graph.Relationship):
            return {**{k: normalise(v) for k, v in value.items()}, "_type": value.type}
        if isinstance(value, neo4j_graph.Path):
            return [normalise(node) for node in value.nodes]
    falkordb_node, falkordb_edge, falkordb_path = (sys.modules.get(f"falkordb.{m}") for m in ("node", "edge", "path"))
    if falkordb_node is not None and isinstance(value, falkordb_node.Node):
        return {**{k: normalise(v) for k, v in value.properties.items()}, "_labels": sorted(value.labels or [])}
    if falkordb_edge is not None and isinstance(value, falkordb_edge.Edge):
        return {**{k: normalise(v) for k, v in value.properties.items()}, "_type": value.relation}
    if falkordb_path is not None and isinstance(value, falkordb_path.Path):
        return [normalise(node) for node in value.nodes()]
    if hasattr(value, "iso_format"):
        return value.iso_format()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return _UNHANDLED


def normalise_rows(columns: list[str], records: list[list[Any]]) -> list[dict[str, Any]]:
    return [{col: normalise(val) for col, val in zip(columns, record)} for record in records]
