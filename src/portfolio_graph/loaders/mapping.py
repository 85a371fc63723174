"""Headers to schema fields: which label a table holds and what each column means.

A column is a property of the row's label, a link (its cells name other nodes, each becoming a
relationship), an endpoint of a relationship table, ignored, or unknown. The built-in words come
from ``fields.py``; a YAML mapping file (``--mapping``) adds or overrides them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..graph.schema import KEY, SCHEMA, Property, Schema
from .fields import (COMMON_NAMES, ENDPOINT_FIELDS, ENDPOINT_WORDS, IGNORED_WORDS, LABEL_PROPERTY_WORDS,
                     LINK_FIELDS, PROPERTY_WORDS, RELATIONSHIP_WORDS, LinkField, fold, label_words,
                     rel_type_words, split_unit)
from .problems import Problem
from .read import Table, column_letter
from .schedule_fields import SHARED_WITH_PROJECT, header_pattern
from ..i18n import _

NODE, REL = "node", "rel"


@dataclass(frozen=True)
class Column:
    index: int
    header: str
    role: str  # property | link | endpoint | ignore | unknown
    field: str = ""
    prop: Property | None = None
    unit: str | None = None
    link: LinkField | None = None
    rel_type: str | None = None

    # Cached: every problem and every resolved reference of the column names it the same way.
    @functools.cached_property
    def shown(self) -> str:
        return shown_header(self.header)

    @functools.cached_property
    def where(self) -> str:
        return f"{column_letter(self.index)} ({self.shown})" if self.header else column_letter(self.index)


_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def shown_header(header: str, limit: int = 60) -> str:
    """A header as messages show it. Headers are never checked like cells (an unknown column is
    only a warning), so a control character (ESC could drive the terminal, NUL cannot be stored
    where a --create-missing stub records the column) is shown as an escape, and a very long
    header is cut instead of being repeated in full in every message."""
    text = _UNSHOWABLE.sub(lambda m: ascii(m.group())[1:-1], header)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Plan:
    """What one table holds: a label (node rows) or a relationship type (None: per row)."""

    kind: str
    name: str | None
    columns: list[Column]

    def by_field(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.field == name and c.role != "unknown"), None)


# -- the mapping file -------------------------------------------------------------------------

@dataclass
class MappedColumn:
    field: str = ""
    unit: str | None = None
    rel_type: str | None = None
    target: str | None = None


@dataclass
class LoadMapping:
    label: str | None = None
    header_row: int | None = None
    source: str | None = None
    columns: dict[str, MappedColumn] = field(default_factory=dict)
    sheets: dict[str, "LoadMapping"] = field(default_factory=dict)

    def for_sheet(self, sheet: str | None) -> "LoadMapping":
        specific = self.sheets.get(sheet or "") or self.sheets.get(fold(sheet or ""))
        if specific is None:
            return self
        return LoadMapping(specific.label or self.label, specific.header_row or self.header_row,
                       specific.source or self.source, {**self.columns, **specific.columns}, {})


def load_mapping(path: Path, problems: list[Problem]) -> LoadMapping:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        problems.append(Problem(path, message=f"cannot read the mapping: {exc}", fix="check the YAML syntax"))
        return LoadMapping()
    if not isinstance(data, dict):
        problems.append(Problem(path, message="the mapping must be a YAML mapping (key: value)"))
        return LoadMapping()
    return _mapping_from(data, path, problems)


def _mapping_from(data: dict[str, Any], path: Path, problems: list[Problem]) -> LoadMapping:
    # Every value is checked for its type before use: a mapping file is user input, and a list
    # or a map where text belongs used to end in a TypeError traceback (label: [a, b]).
    known = {"label", "header_row", "source", "columns", "sheets"}
    for key in set(data) - known:
        problems.append(Problem(path, message=f"unknown mapping key {key!r}", fix=f"use {', '.join(sorted(known))}"))
    mapping = LoadMapping(label=_text(data, "label", path, problems), source=_text(data, "source", path, problems))
    if data.get("header_row") is not None:
        raw = data["header_row"]
        row = raw if isinstance(raw, int) and not isinstance(raw, bool) else (
            int(raw) if isinstance(raw, str) and raw.strip().isdecimal() else None)
        if row is None or row < 1:
            problems.append(Problem(path, message="header_row must be a row number (1 for the first row)"))
        else:
            mapping.header_row = row
    for header, spec in _section(data, "columns", path, problems).items():
        if isinstance(spec, str):
            mapping.columns[fold(str(header))] = MappedColumn(field=spec)
        elif isinstance(spec, dict):
            where = f"column {header!r:.60}: "
            for key in sorted(set(spec) - {"field", "unit", "rel", "target"}, key=str):
                problems.append(Problem(path, message=f"{where}unknown key {key!r:.40}", fix="use field, unit, rel, target"))
            mapping.columns[fold(str(header))] = MappedColumn(
                field=_text(spec, "field", path, problems, where) or "",
                unit=_text(spec, "unit", path, problems, where),
                rel_type=_text(spec, "rel", path, problems, where),
                target=_text(spec, "target", path, problems, where))
        else:
            problems.append(Problem(path, message=f"column {header!r:.60}: expected a field name or a mapping"))
    for sheet, sub in _section(data, "sheets", path, problems).items():
        if isinstance(sub, dict):
            mapping.sheets[str(sheet)] = _mapping_from(sub, path, problems)
        else:
            problems.append(Problem(path, message=f"sheet {sheet!r:.60}: expected a mapping"))
    return mapping


def _text(data: dict[Any, Any], key: str, path: Path, problems: list[Problem], where: str = "") -> str | None:
    value = data.get(key)
    if value is None or isinstance(value, str):
        return value
    problems.append(Problem(path, message=f"{where}{key} must be text, not {type(value).__name__} {value!r:.40}"))
    return None


def _section(data: dict[Any, Any], key: str, path: Path, problems: list[Problem]) -> dict[Any, Any]:
    value = data.get(key)
    if value is None:
        return {}
    if isinstance(value, dict):
        return value
    problems.append(Problem(path, message=f"{key} must be a mapping (name: value), not {type(value).__name__}"))
    return {}


# -- which label a table holds ------------------------------------------------------------------

def target_of_word(text: str, schema: Schema = SCHEMA) -> tuple[str, str | None] | None:
    """(NODE, label) or (REL, type or None) for a label/type name, a sheet name or a file stem."""
    if text in schema.rel_types:  # FUNDS is the relationship, though "funds" reads as Fund
        return REL, text
    if text in schema.labels and not schema.labels[text].system:
        return NODE, text
    word = fold(text)
    if word in label_words(schema):
        return NODE, label_words(schema)[word]
    if word in rel_type_words(schema):
        return REL, rel_type_words(schema)[word]
    if word in {fold(w) for w in RELATIONSHIP_WORDS}:
        return REL, None
    return None


def _contained(text: str, schema: Schema) -> tuple[str, str | None] | None:
    word = fold(text)
    if any(fold(w) in word for w in RELATIONSHIP_WORDS) or any(t.lower() in word for t in schema.rel_types):
        types = [t for t in schema.rel_types if t.lower() in word]
        return REL, types[0] if len(types) == 1 else None
    labels = {label for w, label in label_words(schema).items() if len(w) >= 2 and w in word}
    return (NODE, labels.pop()) if len(labels) == 1 else None


def infer_target(table: Table, explicit: str | None, problems: list[Problem],
                 schema: Schema = SCHEMA) -> tuple[str, str | None] | None:
    if explicit:
        found = target_of_word(explicit, schema)
        if found is None:
            problems.append(Problem(table.file, table.sheet, message=f"unknown label {explicit!r}",
                                    fix=f"use one of: {', '.join(schema.portfolio_labels)} (or a relationship type)"))
        return found
    names = [n for n in (table.sheet, table.file.stem) if n]
    for name in names:
        found = target_of_word(name, schema)
        if found:
            return found
    for name in names:
        found = _contained(name, schema)
        if found:
            return found
    folded = {split_unit(h)[0] for h in table.headers} | {fold(h) for h in table.headers}
    endpoint = {f for f, words in ENDPOINT_WORDS.items() if folded & ({fold(w) for w in words} | {f})}
    if {"from_id", "to_id"} <= endpoint:
        return REL, None
    scores = {label: _label_score(label, folded, schema) for label in schema.portfolio_labels}
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    if ranked and ranked[0][1] > 0 and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        return NODE, ranked[0][0]
    candidates = [label for label, score in ranked if score > 0 and score == ranked[0][1]]
    problems.append(Problem(
        table.file, table.sheet,
        message="cannot tell which label this table holds" +
                (f" (it could be {' or '.join(candidates)})" if candidates else ""),
        fix="give --label (e.g. --label Project), name the sheet or file after the label (项目, 企业, …), "
            "or use --mapping",
    ))
    return None


def _label_score(label: str, folded_headers: set[str], schema: Schema) -> float:
    node_label = schema.label(label)
    score = 0.0
    specific = {fold(w) for words in LABEL_PROPERTY_WORDS.get(label, {}).values() for w in words}
    if label in ("Plan", "Progress"):  # 项目编号 names the project there, it says nothing of the table
        specific -= {fold(w) for w in SHARED_WITH_PROJECT}
        # A header stating its year or month (2023年计划投资, 5月完成投资) is only ever this table's: it
        # outweighs the 项目编号 + 项目名称 a project list shares.
        score += 5 * sum(1 for h in folded_headers if header_pattern(label, h))
    score += 2 * len(folded_headers & specific)
    for prop in node_label.properties:
        holders = sum(1 for other in schema.labels.values() if other.property(prop.name))
        words = {fold(prop.name)} | {fold(w) for w in PROPERTY_WORDS.get(prop.name, ())}
        if folded_headers & words:
            score += 1 / holders
    return score


# -- what each column means ---------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _node_words(label: str) -> dict[str, tuple[str, str]]:
    """Folded header -> (role, field) for one label; later entries win over earlier ones."""
    node_label = SCHEMA.label(label)
    words: dict[str, tuple[str, str]] = {w: ("ignore", "") for w in IGNORED_WORDS}
    for name, aliases in PROPERTY_WORDS.items():
        if node_label.property(name):
            words.update({fold(w): ("property", name) for w in aliases})
    for link in LINK_FIELDS.values():
        if link.rel_type_for(label):
            words.update({fold(w): ("link", link.name) for w in (link.name, *link.words)})
    for name, aliases in LABEL_PROPERTY_WORDS.get(label, {}).items():
        words.update({fold(w): ("property", name) for w in aliases})
    words.update({fold(p.name): ("property", p.name) for p in node_label.all_properties})
    return words


@functools.lru_cache(maxsize=None)
def _rel_words() -> dict[str, tuple[str, str]]:
    words: dict[str, tuple[str, str]] = {w: ("ignore", "") for w in IGNORED_WORDS}
    rel_props = {p.name for rel in SCHEMA.rel_types.values() for p in rel.all_properties}
    for name in rel_props:
        words.update({fold(w): ("property", name) for w in PROPERTY_WORDS.get(name, ())})
    for name, aliases in ENDPOINT_WORDS.items():
        words.update({fold(w): ("endpoint", name) for w in (name, *aliases)})
    words.update({fold(name): ("property", name) for name in rel_props})
    return words


@functools.lru_cache(maxsize=None)
def _all_words() -> frozenset[str]:
    every = set(_rel_words())
    for label in SCHEMA.portfolio_labels:
        every |= set(_node_words(label))
    return frozenset(every - IGNORED_WORDS)


def looks_like_header(cells: list[Any]) -> bool:
    """A row naming at least two known fields is a header row (a title row names none)."""
    known = _all_words()
    hits = 0
    for cell in cells:
        if isinstance(cell, str) and cell.strip():
            base, _unit = split_unit(cell)
            if base in known or fold(cell) in known:
                hits += 1
    return hits >= 2


def _rel_property(name: str) -> Property | None:
    for rel in SCHEMA.rel_types.values():
        prop = rel.property(name)
        if prop is not None:
            return prop
    return None


def _header_row(table: Table) -> int:
    """Where a problem with the columns is located: the header row, or for JSON (which has none)
    the first item or line, so that every problem of a table names a row."""
    return table.header_row or 1


def plan_columns(table: Table, kind: str, name: str | None, mapping: LoadMapping, strict: bool,
                 problems: list[Problem], schema: Schema = SCHEMA) -> Plan:
    columns: list[Column] = []
    words = _node_words(name) if kind == NODE and name else _rel_words()
    for index, header in enumerate(table.headers):
        columns.append(_column(table, index, header, kind, name, words, mapping, problems, schema))
    seen: dict[str, Column] = {}
    for column in columns:
        if column.role == "unknown":
            known = _("a property") if kind == REL else _("a {label} property or link").format(label=name)
            problems.append(Problem(
                table.file, table.sheet, _header_row(table), column.where,
                message=_("unknown column {header!r:.80}: it is not {known} and will not be loaded").format(
                    header=column.header, known=known),
                fix=_("rename it to a known header, map it in --mapping, or remove it"),
                severity="error" if strict else "warning", row_word=table.row_word))
        elif column.role in ("property", "endpoint") and column.field in seen:
            first = seen[column.field]
            problems.append(Problem(
                table.file, table.sheet, _header_row(table), column.where,
                message=_("columns {first} and {second} both give {field}").format(
                    first=first.where, second=column.where, field=column.field),
                fix=_("remove one, or map one of them elsewhere with --mapping"), row_word=table.row_word))
        elif column.role in ("property", "endpoint"):
            seen[column.field] = column
    plan = Plan(kind, name, columns)
    _check_required(table, plan, problems)
    return plan


def _column(table: Table, index: int, header: str, kind: str, name: str | None,
            words: dict[str, tuple[str, str]], mapping: LoadMapping, problems: list[Problem],
            schema: Schema) -> Column:
    base, unit = split_unit(header)
    spec = mapping.columns.get(fold(header)) or mapping.columns.get(base)
    if not header:
        return Column(index, header, "ignore")
    if spec is not None:
        if spec.rel_type:
            if kind == NODE and name and spec.target and schema.rel_types.get(spec.rel_type) \
                    and schema.rel_type(spec.rel_type).allows(name, spec.target):
                link = LinkField(fold(header), spec.target, (spec.rel_type,), ())
                return Column(index, header, "link", link.name, link=link, rel_type=spec.rel_type)
            problems.append(Problem(table.file, table.sheet, _header_row(table), column_letter(index),
                                    message=f"mapping for {header!r:.80}: {spec.rel_type!r:.40} from {name} to {spec.target!r:.40} "
                                            "is not allowed by the schema",
                                    fix="check rel and target against `portfolio-graph schema`"))
            return Column(index, header, "ignore")
        base, unit = fold(spec.field), spec.unit or unit
        if base == "ignore":
            return Column(index, header, "ignore")
    # The header's own meaning is the fallback only where the mapping names no field (a unit alone):
    # a field the mapping names but the schema lacks used to be ignored without a word.
    fallback = words.get(fold(header)) if spec is None or not spec.field else None
    role, field_name = words.get(base) or fallback or _patterned(name if kind == NODE else None, base)
    if spec is not None and role == "unknown":
        problems.append(Problem(table.file, table.sheet, _header_row(table), column_letter(index),
                                message=f"mapping for {header!r:.80} names {spec.field!r:.80}, which "
                                        f"{'relationship tables' if kind == REL else name} do not have",
                                fix="use a property from `portfolio-graph schema`, a link (area, operator, "
                                    "chain, segment, parcel) or ignore"))
    if role == "property":
        prop = schema.label(name).property(field_name) if kind == NODE and name else _rel_property(field_name)
        return Column(index, header, role, field_name, prop=prop, unit=unit)
    if role == "link" and name:
        link = LINK_FIELDS[field_name]
        return Column(index, header, role, field_name, link=link, rel_type=link.rel_type_for(name))
    return Column(index, header, role, field_name)


def _patterned(label: str | None, base: str) -> tuple[str, str]:
    """A header that states a value in its text (2023年计划投资): its field, or unknown."""
    found = header_pattern(label, base) if label else None
    return ("property", found[0]) if found else ("unknown", "")


def _check_required(table: Table, plan: Plan, problems: list[Problem]) -> None:
    if plan.kind == REL:
        needed = ["from_id", "to_id"] + ([] if plan.name else ["type"])
        missing = [f for f in needed if plan.by_field(f) is None]
        hint = {f: "/".join((f, *ENDPOINT_WORDS[f][:2])) for f in ENDPOINT_FIELDS}
    else:
        label = SCHEMA.label(plan.name or "")
        missing = [p.name for p in label.all_properties if p.required and plan.by_field(p.name) is None]
        if KEY in missing and plan.by_field("uscc"):
            missing.remove(KEY)  # enterprises are keyed by their credit code when no id is given
        if label.name in ("Plan", "Progress"):  # keyed and named by project and year or month (schedule_rows)
            missing = [name for name in missing if name not in (KEY, "name")]
        hint = {name: "/".join([name, *LABEL_PROPERTY_WORDS.get(label.name, {}).get(name, ())[:1],
                                *PROPERTY_WORDS.get(name, ())[:1]]) for name in missing}
    for name in missing:
        problems.append(Problem(
            table.file, table.sheet, _header_row(table),
            message=(_("missing required column {field} for {label}").format(field=name, label=plan.name)
                     if plan.kind == NODE else _("missing required column {field}").format(field=name)),
            fix=_("add a column headed {header}").format(header=hint[name]), row_word=table.row_word))


__all__ = ["COMMON_NAMES", "Column", "LoadMapping", "NODE", "Plan", "REL", "infer_target", "load_mapping",
           "looks_like_header", "plan_columns", "target_of_word"]
