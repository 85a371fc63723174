"""Rows to records: typed property values, link references and relationship endpoints.

Each cell goes through ``normalize.convert`` for its schema type; a cell that does not fit
becomes a located ``Problem`` and the row is kept (so every problem is found in one pass) but
marked bad.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from ..graph.schema import KEY, SCHEMA
from .fields import fold, label_of_word, rel_type_words
from .mapping import NODE, Column, Plan
from .normalize import CellError, check_text, clean_text, convert, is_null
from .problems import Problem
from .read import Table

_REF_SPLIT = re.compile(r"[|、,，;；\n]+")


@dataclass(frozen=True)
class Pos:
    file: Path
    sheet: str | None
    row: int
    row_word: str = "row"

    def problem(self, message: str, fix: str = "", column: str | None = None, severity: str = "error") -> Problem:
        return Problem(self.file, self.sheet, self.row, column, message, fix, severity, self.row_word)


@dataclass
class Link:
    column: Column
    rel_type: str | None
    target: str
    refs: list[str]


@dataclass
class NodeRecord:
    label: str
    props: dict[str, Any]
    pos: Pos
    links: list[Link] = field(default_factory=list)
    ok: bool = True
    covered: frozenset[str] = frozenset()  # properties the table has columns for


@dataclass
class RelRecord:
    rel_type: str | None
    from_label: str | None
    from_ref: str
    to_label: str | None
    to_ref: str
    props: dict[str, Any]
    pos: Pos
    columns: dict[str, Column]
    ok: bool = True


def split_refs(raw: Any) -> list[str]:
    if is_null(raw):
        return []
    text = clean_text(raw)
    check_text(text)
    # Each reference with its whitespace collapsed, as ids and names are when they are stored
    # (normalize.convert): a name typed with an ideographic space (U+3000), a tab or a doubled
    # space must find the node the graph holds, not only one in the same load.
    return [" ".join(part.split()) for part in _REF_SPLIT.split(text) if part.strip() and not is_null(part)]


def node_records(table: Table, plan: Plan, problems: list[Problem],
                 tick: Callable[[int], None] | None = None) -> Iterator[NodeRecord]:
    label = plan.name or ""
    props_cols = [c for c in plan.columns if c.role == "property" and c.prop is not None]
    link_cols = [c for c in plan.columns if c.role == "link"]
    key_col = plan.by_field(KEY) or plan.by_field("uscc")
    has_pipe_lists = any(c.prop.type == "list[string]" for c in props_cols if c.prop)
    covered = frozenset(c.field for c in props_cols)
    if any(c.prop and c.prop.type in ("int", "float", "date") for c in props_cols):
        covered |= {"approx_fields"}
    for number, cells in table.rows:
        pos = Pos(table.file, table.sheet, number, table.row_word)
        record = NodeRecord(label, {}, pos, covered=covered)
        approx: list[str] = []
        for column in props_cols:
            prop = column.prop
            assert prop is not None
            raw = cells[column.index]
            if has_pipe_lists and prop.type == "list[string]" and isinstance(raw, str) and "|" in raw:
                raw = raw.split("|")  # the sample format separates list items with | only
            try:
                value, is_approx = convert(raw, prop.type, prop.name, column.unit)
            except CellError as exc:
                problems.append(pos.problem(str(exc), exc.fix or _fix_for(prop.type), column.where))
                record.ok = False
                continue
            if value is None:
                continue
            # convert() already guarantees the type; only a declared choice list is left to check.
            problem = prop.check(value) if prop.choices else None
            if problem:
                problems.append(pos.problem(problem, _fix_for(prop.type), column.where))
                record.ok = False
                continue
            record.props[prop.name] = value
            if is_approx:
                approx.append(prop.name)
        if KEY not in record.props and key_col is not None and key_col.field == "uscc" and "uscc" in record.props:
            record.props[KEY] = record.props["uscc"]
        if approx:
            record.props["approx_fields"] = sorted(set(approx) | set(record.props.get("approx_fields") or ()))
        for column in link_cols:
            try:
                refs = split_refs(cells[column.index])
            except CellError as exc:
                problems.append(pos.problem(str(exc), exc.fix or "", column.where))
                record.ok = False
                continue
            # An empty cell is kept as a link with no refs: the row states "no such link now".
            assert column.link is not None
            record.links.append(Link(column, column.rel_type, column.link.target, refs))
        for prop in SCHEMA.label(label).all_properties:
            if prop.required and record.props.get(prop.name) in (None, "") and not _failed(problems, pos, plan, prop.name):
                column = plan.by_field(prop.name)
                problems.append(pos.problem(f"{prop.name} is empty", f"give every row a {prop.name}",
                                            column.where if column else None))
                record.ok = False
        if tick:
            tick(1)
        yield record


def rel_records(table: Table, plan: Plan, problems: list[Problem],
                tick: Callable[[int], None] | None = None) -> Iterator[RelRecord]:
    columns = {c.field: c for c in plan.columns if c.role == "endpoint"}
    prop_cols = [c for c in plan.columns if c.role == "property" and c.prop is not None]
    type_words = rel_type_words()
    for number, cells in table.rows:
        pos = Pos(table.file, table.sheet, number, table.row_word)
        ok = True
        ends: dict[str, str | None] = {}
        for name in ("from_id", "to_id", "from_label", "to_label", "type"):
            column = columns.get(name)
            raw = cells[column.index] if column else None
            if is_null(raw):
                ends[name] = None
                continue
            try:
                ends[name] = clean_text(raw)
                check_text(ends[name] or "")
                ends[name] = " ".join((ends[name] or "").split())  # as ids are stored; see split_refs
            except CellError as exc:
                problems.append(pos.problem(str(exc), exc.fix or "", column.where if column else None))
                ok = False
                ends[name] = None
        rel_type = plan.name
        if rel_type is None and ends["type"]:
            rel_type = type_words.get(fold(ends["type"]))
            if rel_type is None:
                problems.append(pos.problem(f"unknown relationship type {ends['type']!r:.40}",
                                            f"use one of: {', '.join(SCHEMA.rel_types)}", columns["type"].where))
                ok = False
        labels: dict[str, str | None] = {}
        for side in ("from_label", "to_label"):
            text = ends[side]
            labels[side] = label_of_word(text) if text else None
            if text and labels[side] is None:
                problems.append(pos.problem(f"unknown label {text!r:.40}",
                                            f"use one of: {', '.join(SCHEMA.portfolio_labels)}", columns[side].where))
                ok = False
        for side in ("from_id", "to_id"):
            if not ends[side]:
                problems.append(pos.problem(f"{side} is empty", "give both ends of every relationship",
                                            columns[side].where if side in columns else None))
                ok = False
        props: dict[str, Any] = {}
        for column in prop_cols:
            prop = column.prop
            assert prop is not None
            try:
                value, _ = convert(cells[column.index], prop.type, prop.name, column.unit)
            except CellError as exc:
                problems.append(pos.problem(str(exc), exc.fix or _fix_for(prop.type), column.where))
                ok = False
                continue
            if value is not None:
                props[prop.name] = value
        if tick:
            tick(1)
        yield RelRecord(rel_type, labels["from_label"], ends["from_id"] or "", labels["to_label"],
                        ends["to_id"] or "", props, pos, columns, ok)


def _failed(problems: list[Problem], pos: Pos, plan: Plan, name: str) -> bool:
    """Whether the cell was already reported (a bad value is not also an empty one)."""
    column = plan.by_field(name)
    last = problems[-8:]
    return column is not None and any(p.row == pos.row and p.column == column.where and p.file == pos.file
                                      for p in last)


def _fix_for(prop_type: str) -> str:
    return {
        "int": "write a whole number (1.2万 and 3,000 are fine)",
        "float": "write a number, optionally with its unit (44.7亿, 3000万元, 约5亿)",
        "date": "write a date such as 2023-09-01, 2023年9月 or 2023/9/1",
        "bool": "write true/false or 是/否",
        "list[string]": "separate items with | or 、",
        "string": "fix the text",
    }.get(prop_type, "fix the value")


__all__ = ["Link", "NodeRecord", "Pos", "RelRecord", "node_records", "rel_records", "split_refs", "NODE"]
