"""Checking report parameters against their declared types, and the parameters the schema adds.

Values arrive as text from the command line or as Python values from a notebook; both end up
as the declared type or as a ``ParameterError`` that names the parameter. Nothing here touches
the graph: names of things (``ref`` parameters) are resolved by the runner.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
from typing import Any, Mapping

from ..graph.schema import (
    COUNTED_DECISIONS,
    QUALIFICATION_TAGS,
    GOAL_COMPARATORS,
    LAND_READY_STATUSES,
    PROJECT_PHASES,
    PROJECT_STATUS_PHASE,
    SCHEMA,
    SchemaError,
)
from ..graph.params import text_problem
from ..i18n import _
from .spec import STANDARD_PARAMS, ParamSpec, ReportError, ReportSpec

TRUE_WORDS = {"true", "yes", "y", "1", "on", "是"}
FALSE_WORDS = {"false", "no", "n", "0", "off", "否"}


class ParameterError(ReportError):
    """A parameter value does not fit its declaration; the message starts with its name."""


def system_params() -> dict[str, Any]:
    """Vocabulary from graph/schema.py, passed to every report so no .cypher file repeats it."""
    by_phase: dict[str, list[str]] = {phase: [] for phase in PROJECT_PHASES}
    for word, phase in PROJECT_STATUS_PHASE.items():
        by_phase[phase].append(word)
    params = {f"status_{phase}": sorted(words) for phase, words in by_phase.items()}
    params["land_ready"] = list(LAND_READY_STATUSES)
    by_op: dict[str, list[str]] = {">": [], ">=": [], "x2": [], "~": []}
    for word, op in GOAL_COMPARATORS.items():
        by_op.setdefault(op, []).append(word)
    params["comparator_gt"] = sorted(by_op[">"])
    params["comparator_ge"] = sorted(by_op[">="])
    params["comparator_double"] = sorted(by_op["x2"])
    params["comparator_approx"] = sorted(by_op["~"])
    # Allowed (type, source label, target label) triples, for the integrity report.
    params["rel_endpoints"] = sorted(
        f"{rel.name}:{source}>{target}"
        for rel in SCHEMA.rel_types.values() for source, target in rel.endpoint_pairs
    )
    params["schema_labels"] = list(SCHEMA.labels)
    # The chain matcher's decisions that reports count (candidates only when a report is asked).
    params["counted_decisions"] = list(COUNTED_DECISIONS)
    params["portfolio_labels"] = list(SCHEMA.portfolio_labels)  # without bookkeeping (Load, DemoRun)
    params["qualification_tags"] = list(QUALIFICATION_TAGS)
    return params


def check_params(spec: ReportSpec, given: Mapping[str, Any]) -> dict[str, Any]:
    """Typed values for every declared parameter (defaults filled in), plus the standard ones."""
    declared = {p.name for p in spec.params} | set(STANDARD_PARAMS)
    unknown = sorted(set(given) - declared)
    if unknown:
        raise ParameterError(_("report {name!r} has no parameter {unknown}; its parameters: {declared}").format(
            name=spec.name, unknown=", ".join(repr(u) for u in unknown), declared=", ".join(sorted(declared))))
    values: dict[str, Any] = {}
    for param in spec.params:
        raw = given.get(param.name, param.default)
        value = check_value(param, raw)
        if value is None and param.required:
            raise ParameterError(_("parameter {name!r} is required ({help})").format(
                name=param.name, help=param.help or param.describe()))
        values[param.name] = value
    if spec.param("lenient") is None:
        values["lenient"] = check_value(ParamSpec("lenient", "bool"), given.get("lenient", False)) or False
    return values


def check_value(param: ParamSpec, raw: Any) -> Any:
    """One value converted to the parameter's type, or a ParameterError naming the parameter."""
    try:
        value = _convert(param, raw)
    except OverflowError:  # a float parameter given as a Python int beyond any float
        raise ParameterError(_("parameter {name!r}: {value!r:.40} is too large a number").format(
            name=param.name, value=raw)) from None
    except (TypeError, ValueError) as exc:
        raise ParameterError(_("parameter {name!r}: {problem}").format(name=param.name, problem=exc)) from None
    if value is None:
        return None
    if param.choices and value not in param.choices:
        raise ParameterError(_("parameter {name!r}: {value!r:.60} is not one of {choices}").format(
            name=param.name, value=value, choices=", ".join(str(c) for c in param.choices)))
    if param.min is not None and value < param.min:
        raise ParameterError(_("parameter {name!r}: {value} is below the minimum {limit}").format(
            name=param.name, value=value, limit=param.min))
    if param.max is not None and value > param.max:
        raise ParameterError(_("parameter {name!r}: {value} is above the maximum {limit}").format(
            name=param.name, value=value, limit=param.max))
    return value


def portable_text(value: str) -> str:
    """Text both engines take the same way (``graph.params.text_problem``: no NUL, valid UTF-8),
    refused here so the message names the report parameter."""
    problem = text_problem(value)
    if problem:
        raise ValueError(f"{value!r:.60} {problem}")
    return value


def _convert(param: ParamSpec, raw: Any) -> Any:
    kind = param.type
    if raw is None:
        return None
    if isinstance(raw, str):
        raw = raw.strip()
        if raw == "" or (kind not in ("string", "ref", "list[string]") and raw.lower() == "null"):
            return None
    if kind in ("string", "ref"):
        if isinstance(raw, bool) or not isinstance(raw, (str, int)):
            raise ValueError(f"expected text, got {type(raw).__name__}")
        return portable_text(str(raw))
    if kind == "int":
        if isinstance(raw, bool):
            raise ValueError("expected a whole number, got a boolean")
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        if isinstance(raw, str):
            try:
                raw = int(raw)
            except ValueError:
                raise ValueError(f"expected a whole number, got {raw!r:.60}") from None
        if isinstance(raw, int):
            # The engines' integers have 64 bits: FalkorDB clamped a larger one, Neo4j refused it.
            if not -(2**63) <= raw < 2**63:
                raise ValueError(f"{raw!r:.40} is too large a whole number")
            return raw
        raise ValueError(f"expected a whole number, got {type(raw).__name__}")
    if kind == "float":
        if isinstance(raw, bool):
            raise ValueError("expected a number, got a boolean")
        if isinstance(raw, str):
            try:
                raw = float(raw)
            except ValueError:
                raise ValueError(f"expected a number, got {raw!r:.60}") from None
        if not isinstance(raw, (int, float)) or not math.isfinite(raw):
            raise ValueError(f"expected a finite number, got {raw!r:.60}")
        return float(raw)
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, int) and raw in (0, 1):
            return bool(raw)
        if isinstance(raw, str) and raw.lower() in TRUE_WORDS | FALSE_WORDS:
            return raw.lower() in TRUE_WORDS
        raise ValueError(f"expected true or false, got {raw!r:.60}")
    if kind == "date":
        if isinstance(raw, _dt.datetime):
            raw = raw.date()
        if isinstance(raw, _dt.date):
            return raw.isoformat()
        if isinstance(raw, str):
            try:
                return _dt.date.fromisoformat(raw).isoformat()
            except ValueError:
                raise ValueError(f"expected a date as YYYY-MM-DD, got {raw!r:.60}") from None
        raise ValueError(f"expected a date as YYYY-MM-DD, got {type(raw).__name__}")
    if kind == "list[string]":
        if isinstance(raw, str):
            if raw.startswith("["):
                try:
                    raw = json.loads(raw)
                except ValueError:
                    raise ValueError(f"expected a JSON list or comma-separated text, got {raw!r:.60}") from None
            else:
                raw = [part.strip() for part in raw.replace("、", ",").split(",") if part.strip()]
        if not isinstance(raw, (list, tuple)) or not all(isinstance(v, str) for v in raw):
            raise ValueError("expected a list of text values")
        return [portable_text(v) for v in raw]
    if kind in ("label", "rel_type"):
        if not isinstance(raw, str):
            raise ValueError(f"expected a {kind.replace('_', ' ')} name")
        try:
            return SCHEMA.label(raw).name if kind == "label" else SCHEMA.rel_type(raw).name
        except SchemaError as exc:
            raise ValueError(str(exc)) from None
    raise ValueError(f"unknown parameter type {kind!r}")  # pragma: no cover - spec.py rejects it
