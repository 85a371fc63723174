"""Running a report: check its parameters, resolve the things they name, run the Cypher
read-only on the engine's variant, and shape the rows (declared columns, sorted lists).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from ..graph.backend import Backend, ReadOnlyViolation
from ..graph.schema import SCHEMA
from .params import ParameterError, check_params, system_params
from ..i18n import _
from .spec import ParamSpec, ReportError, ReportSpec


@dataclass
class ReportResult:
    spec: ReportSpec
    params: dict[str, Any]  # the checked parameters as the user gave them (names, not ids)
    rows: list[dict[str, Any]]
    resolved: dict[str, str] = field(default_factory=dict)  # ref parameter -> the id it named

    @property
    def meta(self) -> dict[str, Any]:
        """What the xlsx and html renderers show besides the rows."""
        return {
            "name": self.spec.name,
            "title": self.spec.title,
            "description": self.spec.description,
            "params": {k: v for k, v in self.params.items() if v is not None},
            "chart": self.spec.chart,
            "chart_label": self.spec.chart_label,
            "column_help": {c.name: c.help for c in self.spec.columns},
        }

    def frame(self):
        import pandas as pd

        frame = pd.DataFrame.from_records(self.rows, columns=self.spec.column_names)
        frame.attrs.update({"report": self.spec.name, "title": self.spec.title, "params": dict(self.params)})
        return frame


def run_report(backend: Backend, spec: ReportSpec, given: Mapping[str, Any] | None = None, *,
               with_sources: bool = False) -> ReportResult:
    """Run ``spec`` with the ``given`` parameters; ``with_sources`` adds to each row the section
    and quote (or file, sheet and row) of the facts it rests on, in a ``sources`` column."""
    params = check_params(spec, dict(given or {}))
    query_params = dict(params)
    resolved: dict[str, str] = {}
    for param in spec.params:
        if param.type == "ref" and params.get(param.name) is not None:
            labels = _ref_labels(param, params)
            resolved[param.name] = resolve_ref(backend, param, params[param.name], labels)
            query_params[param.name] = resolved[param.name]
    query_params.update(system_params())
    step = _step(spec)
    if step is not None:
        query_params.update(step[0](backend, query_params))
    try:
        rows = backend.read(spec.query_for(backend.name), query_params)
    except ReadOnlyViolation:
        # The engine refused a write (GRAPH.RO_QUERY / a READ session). Reports have no write mode,
        # so the backend's advice ("it needs --write") does not apply: say what does.
        raise ReadOnlyViolation(
            f"report {spec.name!r} ({spec.path or spec.origin}) tries to change the graph; reports only read "
            "(change the graph with `portfolio-graph load` or `portfolio-graph query --write`)"
        ) from None
    if step is not None:
        _check_returned(spec, rows, spec.query_columns)
        rows = step[1](backend, rows, query_params)
    shaped = shape_rows(spec, rows)
    if with_sources:
        from .sources import with_sources as add_sources

        spec, shaped = add_sources(backend, spec, shaped)
    return ReportResult(spec, params, shaped, resolved)


def _step(spec: ReportSpec) -> Any:
    if spec.compute is None:
        return None
    from ..schedule.steps import STEPS  # only the reports that compute need the schedule package

    return STEPS[spec.compute]


def _check_returned(spec: ReportSpec, rows: list[dict[str, Any]], declared: list[str]) -> None:
    if rows and set(rows[0]) != set(declared):
        raise ReportError(
            f"report {spec.name!r} returns columns {', '.join(rows[0])} but declares {', '.join(declared)}"
        )


def _ref_labels(param: ParamSpec, params: Mapping[str, Any]) -> tuple[str, ...]:
    if param.label_param and params.get(param.label_param):
        label = params[param.label_param]
        if label not in param.labels:
            raise ParameterError(
                f"parameter {param.label_param!r}: {label} is not one of {', '.join(param.labels)} "
                f"(what {param.name!r} may name)"
            )
        return (label,)
    return param.labels


def resolve_ref(backend: Backend, param: ParamSpec, value: str, labels: tuple[str, ...]) -> str:
    """The id of the one node whose id, name or alias is ``value``; ids win over names, names
    over aliases. None or several → a ParameterError that names the parameter and helps."""
    for label in labels:
        SCHEMA.label(label)  # labels come from report files; never splice an unknown one
    # One rank at a time, best first: an id or a name is found through the label's index, and
    # only a value that is neither scans the aliases (one query with the three tests ORed
    # scanned every node of the label, ~25 ms for 20k projects, before each report).
    for test in RANK_TESTS:
        parts = [
            f"MATCH (n:`{label}`) WHERE {test} RETURN n.id AS id, n.name AS name, '{label}' AS label"
            for label in labels
        ]
        matches = sorted(backend.read(" UNION ALL ".join(parts), {"value": value}),
                         key=lambda r: (r["label"], r["id"]))
        if len(matches) == 1:
            return matches[0]["id"]
        if matches:
            listed = "; ".join(f"{m['label']} {m['id']} ({m['name']})" for m in matches)
            raise ParameterError(_("parameter {name!r}: {value!r:.80} names more than one thing: {listed}; give an id")
                                 .format(name=param.name, value=value, listed=listed))
    hints = _similar(backend, value, labels)
    what = _(" or ").join(labels)
    # The value is shown cut like every other parameter message (a 10 MB value printed 10 MB).
    message = _("parameter {name!r}: no {what} has the id, name or alias {value!r:.80}").format(
        name=param.name, what=what, value=value)
    elsewhere = _other_labels(backend, value, labels)
    if elsewhere:
        kinds = " and ".join(f"{'an' if label[0] in 'AEIOU' else 'a'} {label}" for label in elsewhere)
        message += f"; it names {kinds}, which {param.name!r} cannot name (it takes {', '.join(labels)})"
    if hints:
        message += _("; similar: {hints}").format(hints="、".join(hints))
    raise ParameterError(message)


def _other_labels(backend: Backend, value: str, labels: tuple[str, ...]) -> list[str]:
    """Labels outside ``labels`` with a node whose id or name is ``value``: a thing of the wrong
    kind (an enterprise given to a report that walks dependencies) is told apart from a typo."""
    others = [label for label in SCHEMA.portfolio_labels if label not in labels]
    if not others:
        return []
    parts = [f"MATCH (n:`{label}`) WHERE n.id = $value OR n.name = $value RETURN '{label}' AS label"
             for label in others]
    return sorted({r["label"] for r in backend.read(" UNION ".join(parts), {"value": value})})


# How a ref value names a node, best rank first; the first test that finds anything decides.
RANK_TESTS = (
    "n.id = $value",
    "n.name = $value",
    "$value IN coalesce(n.aliases, [])",
)


def _similar(backend: Backend, value: str, labels: tuple[str, ...], limit: int = 8) -> list[str]:
    parts = [
        f"MATCH (n:`{label}`) WHERE n.name CONTAINS $value OR $value CONTAINS n.name RETURN n.name AS name"
        for label in labels
    ]
    names = {r["name"] for r in backend.read(" UNION ".join(parts), {"value": value}) if r["name"]}
    return sorted(names)[:limit]


def shape_rows(spec: ReportSpec, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows keyed in declared column order, with unordered lists sorted.

    ``collect()`` gives no order on either engine, so every list that is a set (enterprises of a
    segment, say) is sorted here, in one place; lists declared ``ordered`` (paths) are kept.
    """
    declared = spec.column_names
    if rows and set(rows[0]) != set(declared):
        raise ReportError(
            f"report {spec.name!r} returns columns {', '.join(rows[0])} but declares {', '.join(declared)}"
        )
    keep_order = {c.name for c in spec.columns if c.ordered}
    shaped = []
    for row in rows:
        out = {}
        for name in declared:
            value = row[name]
            if isinstance(value, list) and name not in keep_order:
                value = sorted(value, key=sort_key)
            out[name] = value
        shaped.append(out)
    return shaped


def sort_key(value: Any) -> tuple:
    """A total order over mixed values: None last, numbers by value, the rest by text."""
    if value is None:
        return (2, 0, "")
    if isinstance(value, bool):
        return (1, 0, str(value))
    if isinstance(value, (int, float)):
        return (0, value, "")
    return (1, 0, str(value))
