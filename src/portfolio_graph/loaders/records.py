"""Rows to records: typed property values, link references and relationship endpoints.

Each cell goes through ``normalize.convert`` for its schema type; a cell that does not fit
becomes a located ``Problem`` and the row is kept (so every problem is found in one pass) but
marked bad.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from ..graph.schema import KEY, SCHEMA
from .fields import fold, label_of_word, rel_type_words
from .keys import credit_code_form, key_form
from .mapping import Column, Plan
from .normalize import (LIST_SPLIT, CellError, clean_text, converter, is_empty_text, is_null, reject_object,
                        screen_text)
from .problems import Problem
from .read import Table
from ..i18n import _



# Slotted: a load holds one of each per row, and a per-instance dict would double their size.
@dataclass(frozen=True, slots=True)
class Pos:
    file: Path
    sheet: str | None
    row: int
    row_word: str = "row"

    def problem(self, message: str, fix: str = "", column: str | None = None, severity: str = "error") -> Problem:
        return Problem(self.file, self.sheet, self.row, column, message, fix, severity, self.row_word)


@dataclass(slots=True)
class Link:
    column: Column
    rel_type: str | None
    target: str
    refs: list[str]


@dataclass(slots=True)
class NodeRecord:
    label: str
    props: dict[str, Any]
    pos: Pos
    links: list[Link] = field(default_factory=list)
    ok: bool = True
    covered: frozenset[str] = frozenset()  # properties the table has columns for


@dataclass(slots=True)
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
    if isinstance(raw, (list, tuple)):  # a JSON list of references: each item is one or more
        return [ref for item in raw for ref in split_refs(item)]
    if type(raw) is str:
        text = raw.strip()
        if is_empty_text(text):
            return []
    elif is_null(raw):
        return []
    else:
        reject_object(raw)
        text = clean_text(raw)
    screen_text(text)
    parts = LIST_SPLIT.split(text)
    if len(parts) == 1:  # one reference, the usual cell: already stripped and not an empty marker
        return [" ".join(text.split())]
    # Each reference with its whitespace collapsed, as ids and names are when they are stored
    # (normalize.convert): a name typed with an ideographic space (U+3000), a tab or a doubled
    # space must find the node the graph holds, not only one in the same load.
    return [" ".join(part.split()) for part in parts if part.strip() and not is_null(part)]


def _column_facts(plan: Plan) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], frozenset[str]]:
    """Everything a cell's handling depends on but the cell itself, decided once per column:
    (index, name, converter, choice check, pipe-separated list, column, type) per property
    column, (index, column, type, target, shared empty link, share) per link column, and the
    properties the table covers."""
    props_cols = [c for c in plan.columns if c.role == "property" and c.prop is not None]
    has_pipe_lists = any(c.prop.type == "list[string]" for c in props_cols if c.prop)
    covered = frozenset(c.field for c in props_cols)
    if any(c.prop and c.prop.type in ("int", "float", "date") for c in props_cols):
        covered |= {"approx_fields"}
    cells_plan = []
    for column in props_cols:
        prop = column.prop
        assert prop is not None
        cells_plan.append((column.index, prop.name, converter(prop.type, prop.name, column.unit),
                           prop.check if prop.choices else None,
                           has_pipe_lists and prop.type == "list[string]", column, prop.type))
    links_plan = []
    for column in (c for c in plan.columns if c.role == "link"):
        assert column.link is not None
        # An empty cell's link is the same for every row: one shared instance (links are only read),
        # not one object and one list per empty cell for the cyclic GC to walk again and again.
        empty = Link(column, column.rel_type, column.link.target, [])
        # References repeat (thousands of rows name the same few areas and chains): each distinct
        # one is kept once instead of once per cell.
        shared: dict[str, str] = {}
        links_plan.append((column.index, column, column.rel_type, column.link.target, empty, shared.setdefault))
    return cells_plan, links_plan, covered


def node_records(table: Table, plan: Plan, problems: list[Problem],
                 tick: Callable[[int], None] | None = None) -> Iterator[NodeRecord]:
    label = plan.name or ""
    cells_plan, links_plan, covered = _column_facts(plan)
    key_col = plan.by_field(KEY) or plan.by_field("uscc")
    key_from_uscc = key_col is not None and key_col.field == "uscc"
    # Plan and progress rows derive their key and name from the project (loaders/schedule_rows.py).
    derived = (KEY, "name") if label in ("Plan", "Progress") else ()
    required = [prop.name for prop in SCHEMA.label(label).all_properties if prop.required and prop.name not in derived]
    file, sheet, row_word = table.file, table.sheet, table.row_word
    for number, cells in table.rows:
        pos = Pos(file, sheet, number, row_word)
        props: dict[str, Any] = {}
        ok = True
        approx: list[str] | None = None
        for index, name, convert_cell, check, pipe_list, column, prop_type in cells_plan:
            raw = cells[index]
            if pipe_list and isinstance(raw, str) and "|" in raw:
                raw = raw.split("|")  # the sample format separates list items with | only
            try:
                value, is_approx = convert_cell(raw)
            except CellError as exc:
                problems.append(pos.problem(str(exc), exc.fix or _fix_for(prop_type), column.where))
                ok = False
                continue
            if value is None:
                continue
            # The converter already guarantees the type; only a declared choice list is left to check.
            problem = check(value) if check is not None else None
            if problem:
                problems.append(pos.problem(problem, _fix_for(prop_type), column.where))
                ok = False
                continue
            props[name] = value
            if is_approx:
                if approx is None:
                    approx = []
                approx.append(name)
        if "uscc" in props:
            props["uscc"] = credit_code_form(props["uscc"])
        if key_from_uscc and KEY not in props and "uscc" in props:
            props[KEY] = props["uscc"]
        elif KEY in props:
            props[KEY] = key_form(props[KEY])
        if approx:
            props["approx_fields"] = sorted(set(approx) | set(props.get("approx_fields") or ()))
        links: list[Link] = []
        for index, column, rel_type, target, empty, share in links_plan:
            try:
                refs = split_refs(cells[index])
            except CellError as exc:
                problems.append(pos.problem(str(exc), exc.fix or "", column.where))
                ok = False
                continue
            # An empty cell is kept as a link with no refs: the row states "no such link now".
            links.append(Link(column, rel_type, target, [share(ref, ref) for ref in refs]) if refs else empty)
        record = NodeRecord(label, props, pos, links, ok, covered)
        for name in required:
            if props.get(name) in (None, "") and not _failed(problems, pos, plan, name):
                column = plan.by_field(name)
                problems.append(pos.problem(_("{field} is empty").format(field=name),
                                            _("give every row a {field}").format(field=name),
                                            column.where if column else None))
                record.ok = False
        if tick:
            tick(1)
        yield record


_ENDS = ("from_id", "to_id", "from_label", "to_label", "type")


def rel_records(table: Table, plan: Plan, problems: list[Problem],
                tick: Callable[[int], None] | None = None) -> Iterator[RelRecord]:
    columns = {c.field: c for c in plan.columns if c.role == "endpoint"}
    prop_cols = [c for c in plan.columns if c.role == "property" and c.prop is not None]
    ends_plan = [(name, columns.get(name)) for name in _ENDS]
    props_plan = []
    for column in prop_cols:
        prop = column.prop
        assert prop is not None
        props_plan.append((column.index, prop.name, converter(prop.type, prop.name, column.unit), column, prop.type))
    type_words = rel_type_words()
    # A relationship file repeats a few label and type words on every row: each is looked up once.
    rel_types: dict[str, str | None] = {}
    labels_of: dict[str, str | None] = {}
    file, sheet, row_word = table.file, table.sheet, table.row_word
    for number, cells in table.rows:
        pos = Pos(file, sheet, number, row_word)
        ok = True
        ends: dict[str, str | None] = {}
        for name, column in ends_plan:
            if column is None:
                ends[name] = None
                continue
            try:
                ends[name] = _end_text(cells[column.index])
            except CellError as exc:
                problems.append(pos.problem(str(exc), exc.fix or "", column.where))
                ok = False
                ends[name] = None
        rel_type = plan.name
        if rel_type is None and ends["type"]:
            word = ends["type"]
            if word not in rel_types:
                rel_types[word] = type_words.get(fold(word))
            rel_type = rel_types[word]
            if rel_type is None:
                problems.append(pos.problem(_("unknown relationship type {word!r:.40}").format(word=ends["type"]),
                                            _("use one of: {choices}").format(choices=", ".join(SCHEMA.rel_types)),
                                            columns["type"].where))
                ok = False
        labels: dict[str, str | None] = {}
        for side in ("from_label", "to_label"):
            text = ends[side]
            if text:
                if text not in labels_of:
                    labels_of[text] = label_of_word(text)
                labels[side] = labels_of[text]
            else:
                labels[side] = None
            if text and labels[side] is None:
                problems.append(pos.problem(_("unknown label {word!r:.40}").format(word=text),
                                            _("use one of: {choices}").format(choices=", ".join(SCHEMA.portfolio_labels)),
                                            columns[side].where))
                ok = False
        for side in ("from_id", "to_id"):
            if not ends[side]:
                problems.append(pos.problem(_("{field} is empty").format(field=side),
                                            _("give both ends of every relationship"),
                                            columns[side].where if side in columns else None))
                ok = False
        props: dict[str, Any] = {}
        for index, name, convert_cell, column, prop_type in props_plan:
            try:
                value, _approx = convert_cell(cells[index])
            except CellError as exc:
                problems.append(pos.problem(str(exc), exc.fix or _fix_for(prop_type), column.where))
                ok = False
                continue
            if value is not None:
                props[name] = value
        if tick:
            tick(1)
        yield RelRecord(rel_type, labels["from_label"], ends["from_id"] or "", labels["to_label"],
                        ends["to_id"] or "", props, pos, columns, ok)


def _end_text(raw: Any) -> str | None:
    """An endpoint cell as ids are stored (see split_refs), or None when it is empty."""
    if type(raw) is str:
        text = raw.strip()
        if is_empty_text(text):
            return None
    elif is_null(raw):
        return None
    else:
        reject_object(raw)
        text = clean_text(raw)
    screen_text(text)
    return " ".join(text.split())


def _failed(problems: list[Problem], pos: Pos, plan: Plan, name: str) -> bool:
    """Whether the cell was already reported (a bad value is not also an empty one)."""
    column = plan.by_field(name)
    last = problems[-8:]
    return column is not None and any(p.row == pos.row and p.column == column.where and p.file == pos.file
                                      for p in last)


def _fix_for(prop_type: str) -> str:
    return {
        "int": _("write a whole number (1.2万 and 3,000 are fine)"),
        "float": _("write a number, optionally with its unit (44.7亿, 3000万元, 约5亿)"),
        "date": _("write a date such as 2023-09-01, 2023年9月 or 2023/9/1"),
        "bool": _("write true/false or 是/否"),
        "list[string]": _("separate items with | or 、"),
        "string": _("fix the text"),
    }.get(prop_type) or _("fix the value")


__all__ = ["Link", "NodeRecord", "Pos", "RelRecord", "node_records", "rel_records", "split_refs"]
