"""Checking report parameters against their declared types, and the parameters the schema adds.

Values arrive as text from the command line or as Python values from a notebook; both end up
as the declared type or as a ``ParameterError`` that names the parameter. Nothing here touches
the graph: names of things (``ref`` parameters) are resolved by the runner.
"""

from __future__ import annotations

from typing import Any, Mapping

from ..graph.schema import (
    COUNTED_DECISIONS,
    QUALIFICATION_TAGS,
    GOAL_COMPARATORS,
    LAND_READY_STATUSES,
    PROJECT_PHASES,
    PROJECT_STATUS_PHASE,
    SCHEMA,
)
from ..i18n import _
from .errors import ParameterError
from .spec import STANDARD_PARAMS, ParamSpec, ReportSpec
from .values import check_value, portable_text  # noqa: F401  (re-exported)

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


SHOWN_NAMES = 5  # 3,000 unknown names made a 26 KB message


def _few(names: list[str]) -> str:
    """A few names, quoted and shortened, and how many more there are."""
    shown = ", ".join(f"{name!r:.40}" for name in names[:SHOWN_NAMES])
    return shown if len(names) <= SHOWN_NAMES else f"{shown} and {len(names) - SHOWN_NAMES:,} more"


def check_params(spec: ReportSpec, given: Mapping[str, Any]) -> dict[str, Any]:
    """Typed values for every declared parameter (defaults filled in), plus the standard ones."""
    declared = {p.name for p in spec.params} | set(STANDARD_PARAMS)
    unknown = sorted(set(given) - declared)
    if unknown:
        raise ParameterError(_("report {name!r} has no parameter {unknown}; its parameters: {declared}").format(
            name=spec.name, unknown=_few(unknown), declared=", ".join(sorted(declared))))
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
