"""Plan and progress rows: the key each row derives, its link to the project, and the checks a
monthly report needs (a month in the future or not the file's own, negative amounts, a start after
the month, a 年度累计 that goes down).

A plan row is keyed by project and year (``P-01@2023``), a progress row by project and month
(``P-01@2023-05``): loading April keeps March, loading next year's plan keeps this year's, and a
month loaded again is replaced whole (``replaced_progress``).
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from ..graph import Backend
from ..graph.schema import KEY, PROVENANCE, SCHEMA
from .mapping import Plan
from .problems import Problem
from .read import Table
from .records import Link, NodeRecord
from .schedule_fields import header_pattern
from .fields import split_unit

SCHEDULE_LABELS = ("Plan", "Progress")
LINK_TYPES = {"Plan": "PLAN_OF", "Progress": "PROGRESS_OF"}
_YEAR_MONTH = re.compile(r"(?<!\d)(20\d{2}|19\d{2})\s*(?:年|[-./_])\s*(\d{1,2})(?:\s*月|(?!\d))")
_YEAR = re.compile(r"(?<!\d)(20\d{2}|19\d{2})\s*年")
# What a progress row holds: a month loaded again replaces every one of them, stated or not.
_PROGRESS_FIELDS = frozenset(p.name for p in SCHEMA.label("Progress").properties) - {"project_id", "month", "year"}
_SKIP = {p.name for p in PROVENANCE} | {KEY}


def table_month(table: Table) -> tuple[str, str] | None:
    """('2023-05-01', where) when the sheet or file name states a month (2023年5月进度.xlsx)."""
    for text, where in ((table.sheet, f"sheet {table.sheet}"), (table.file.stem, "the file name")):
        match = _YEAR_MONTH.search(text or "")
        if match and 1 <= int(match.group(2)) <= 12:
            return f"{int(match.group(1)):04d}-{int(match.group(2)):02d}-01", where
    return None


def _table_year(table: Table, plan: Plan) -> int | None:
    for column in plan.columns:
        found = header_pattern("Plan", split_unit(column.header)[0]) if column.role == "property" else None
        if found and "year" in found[1]:
            return found[1]["year"]
    for text in (table.sheet, table.file.stem):
        match = _YEAR.search(text or "")
        if match:
            return int(match.group(1))
    return None


def finish_records(table: Table, plan: Plan, records: list[NodeRecord], problems: list[Problem],
                   today: _dt.date | None = None) -> None:
    """Give plan/progress records their key and project link, and check what a cell alone cannot."""
    label = plan.name or ""
    if label not in SCHEDULE_LABELS or not records:
        return
    today = today or _dt.datetime.now(_dt.timezone.utc).date()
    id_column = plan.by_field("project_id")
    amounts = [c for c in plan.columns if c.role == "property" and c.field.endswith("_wan")]
    if label == "Plan":
        year = _table_year(table, plan)
        if year is None and plan.by_field("year") is None:
            problems.append(Problem(table.file, table.sheet, table.header_row or 1,
                                    message="the plan's year is not given",
                                    fix="head the plan column 2023年计划投资, add a 年度 column, or name the "
                                        "file or sheet with its year (2023年重点项目计划)", row_word=table.row_word))
    else:
        stated = table_month(table)
    for record in records:
        props, pos = record.props, record.pos
        for column in amounts:
            value = props.get(column.field)
            if isinstance(value, (int, float)) and value < 0:
                problems.append(pos.problem(f"{column.shown} is negative ({value:g})",
                                            "an amount completed or planned cannot be below zero; correct the figure",
                                            column.where))
                record.ok = False
        project = props.get("project_id")
        if not project:
            continue
        if label == "Plan":
            props.setdefault("year", year)
            suffix = str(props.get("year"))
        else:
            if not _check_month(record, plan, stated, today, problems):
                continue
            suffix = props["month"][:7]
            props["year"] = int(suffix[:4])
            record.covered = record.covered | _PROGRESS_FIELDS | {"year"}
        props[KEY] = f"{project}@{suffix}"
        props.setdefault("name", f"{project} {suffix}")
        if id_column is not None:
            record.links.append(Link(id_column, LINK_TYPES[label], "Project", [project]))


def _check_month(record: NodeRecord, plan: Plan, stated: tuple[str, str] | None, today: _dt.date,
                 problems: list[Problem]) -> bool:
    props, pos = record.props, record.pos
    month = props.get("month")
    if not month:
        return False
    month = props["month"] = month[:8] + "01"
    where = _where(plan, "month")
    if month > f"{today:%Y-%m}-01":
        problems.append(pos.problem(f"统计月份 {month[:7]} is in the future (this is {today:%Y-%m})",
                                    "give the month the figures are for", where))
        record.ok = False
    if stated is not None and month != stated[0]:
        problems.append(pos.problem(f"统计月份 {month[:7]} is not the file's month {stated[0][:7]} "
                                    f"(named in {stated[1]})",
                                    "correct the month, or put the rows of each month in a file of their own",
                                    where))
        record.ok = False
    start = props.get("actual_start")
    if start and start[:7] > month[:7]:
        problems.append(pos.problem(f"实际开工时间 {start} is after the 统计月份 {month[:7]}",
                                    "a report can only state a start that has happened; correct the date or the month",
                                    _where(plan, "actual_start")))
        record.ok = False
    return True


def _where(plan: Plan, field: str) -> str | None:
    column = plan.by_field(field)
    return column.where if column is not None else None


def check_ytd(backend: Backend, nodes: list[NodeRecord], problems: list[Problem], strict: bool) -> None:
    """A 年度累计完成投资 that goes down from one month to the next: a warning, an error with --strict.

    Months of this load are compared with each other and with the months the graph holds for the
    same projects and years (this load's figures replace the graph's for a month it restates)."""
    loaded = [r for r in nodes if r.label == "Progress" and r.ok and r.props.get("project_id") and r.props.get("month")]
    if not loaded:
        return
    series: dict[tuple[str, int], dict[str, tuple[float | None, NodeRecord | None]]] = {}
    ids = sorted({r.props["project_id"] for r in loaded})
    years = sorted({r.props["year"] for r in loaded})
    if backend.read("MATCH (r:Progress) RETURN 1 AS any LIMIT 1"):
        cypher = ("UNWIND $ids AS pid MATCH (r:Progress {project_id: pid}) WHERE r.year IN $years "
                  "RETURN r.project_id AS pid, r.year AS year, r.month AS month, r.ytd_wan AS ytd")
        for start in range(0, len(ids), 5000):
            for row in backend.read(cypher, {"ids": ids[start:start + 5000], "years": years}):
                series.setdefault((row["pid"], row["year"]), {})[row["month"]] = (row["ytd"], None)
    for record in loaded:
        props = record.props
        series.setdefault((props["project_id"], props["year"]), {})[props["month"]] = (props.get("ytd_wan"), record)
    for (project, _), months in series.items():
        known = [(m, v, r) for m, (v, r) in sorted(months.items()) if v is not None]
        for (m1, v1, r1), (m2, v2, r2) in zip(known, known[1:]):
            if v2 >= v1 or (r1 is None and r2 is None):
                continue
            record = r2 or r1
            assert record is not None
            problems.append(record.pos.problem(
                f"项目 {project}: 年度累计完成投资 goes down from {v1:g} ({m1[:7]}) to {v2:g} ({m2[:7]})",
                "a year-to-date figure can only grow within a year; check both months' figures",
                severity="error" if strict else "warning"))
            if strict:
                record.ok = False


def replaced_progress(backend: Backend, records: list[NodeRecord]) -> dict[str, str | None]:
    """Progress rows the graph holds for the months this load restates: a month is replaced whole."""
    months = sorted({r.props["month"] for r in records if r.props.get("month")})
    loaded = {r.props.get(KEY) for r in records}
    if not months:
        return {}
    rows = backend.read("UNWIND $months AS m MATCH (r:Progress {month: m}) RETURN r.id AS id, r.name AS name",
                        {"months": months})
    return {row["id"]: row["name"] for row in rows if row["id"] not in loaded}
