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
        # Named for the project and the year or month, so that the months of one project, and the
        # project itself, are not taken for look-alike names of one another.
        props["name"] = f"{props.get('name') or project} {suffix}"
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

    Each loaded month is compared with the month before and the month after it in the same year,
    from this load where it holds that month, else from the graph (looked up by key: a year of
    reports for 20,000 projects is not read to check one month)."""
    loaded = {r.props[KEY]: r for r in nodes
              if r.label == "Progress" and r.ok and r.props.get("project_id") and r.props.get("month")}
    if not loaded:
        return
    wanted = set()
    for record in loaded.values():
        for neighbour in _neighbours(record.props["project_id"], record.props["month"]):
            if neighbour not in loaded:
                wanted.add(neighbour)
    stored: dict[str, float | None] = {}
    keys = sorted(wanted)
    for start in range(0, len(keys), 5000):
        for row in backend.read("UNWIND $keys AS k MATCH (r:Progress {id: k}) RETURN r.id AS id, r.ytd_wan AS ytd",
                                {"keys": keys[start:start + 5000]}):
            stored[row["id"]] = row["ytd"]
    for key, record in sorted(loaded.items()):
        project, month = record.props["project_id"], record.props["month"]
        before, after = _before_after(project, month)
        pairs = ([(before, key)] if before else []) + ([(key, after)] if after and after not in loaded else [])
        for first, second in pairs:
            v1 = loaded[first].props.get("ytd_wan") if first in loaded else stored.get(first)
            v2 = loaded[second].props.get("ytd_wan") if second in loaded else stored.get(second)
            if v1 is None or v2 is None or v2 >= v1:
                continue
            problems.append(record.pos.problem(
                f"项目 {project}: 年度累计完成投资 goes down from {v1:g} ({first[-7:]}) to {v2:g} ({second[-7:]})",
                "a year-to-date figure can only grow within a year; check both months' figures",
                severity="error" if strict else "warning"))
            if strict:
                record.ok = False


def _before_after(project: str, month: str) -> tuple[str | None, str | None]:
    """Keys of the month before and the month after, within the same year (年度累计 starts anew in January)."""
    year, number = int(month[:4]), int(month[5:7])
    return (f"{project}@{year:04d}-{number - 1:02d}" if number > 1 else None,
            f"{project}@{year:04d}-{number + 1:02d}" if number < 12 else None)


def _neighbours(project: str, month: str) -> tuple[str, ...]:
    return tuple(key for key in _before_after(project, month) if key)


def replaced_progress(backend: Backend, records: list[NodeRecord]) -> dict[str, str | None]:
    """Progress rows the graph holds for the months this load restates: a month is replaced whole."""
    months = sorted({r.props["month"] for r in records if r.props.get("month")})
    loaded = {r.props.get(KEY) for r in records}
    if not months:
        return {}
    rows = backend.read("UNWIND $months AS m MATCH (r:Progress {month: m}) RETURN r.id AS id, r.name AS name",
                        {"months": months})
    return {row["id"]: row["name"] for row in rows if row["id"] not in loaded}
