"""Checks across rows that no single cell shows: duplicate ids, relationship endpoints the schema
does not allow, duplicate relationships that disagree."""

from __future__ import annotations

from ..graph.schema import KEY, SCHEMA
from ..i18n import _
from .problems import Problem, position_parts
from .records import NodeRecord, Pos
from .resolve import ResolvedRel


def check_duplicates(nodes: list[NodeRecord], problems: list[Problem]) -> None:
    first: dict[tuple[str, str], Pos] = {}
    for record in nodes:
        node_id = record.props.get(KEY)
        if not node_id:
            continue
        key = (record.label, node_id)
        if key in first:
            seen = first[key]
            parts = [seen.file.name] if seen.file != record.pos.file else []
            where = _(", ").join(parts + position_parts(seen.sheet, seen.row_word, seen.row))
            problems.append(record.pos.problem(
                _("duplicate {label} id {id!r:.60}: already given in {where}").format(
                    label=record.label, id=node_id, where=where),
                _("give each row its own id, or remove the repeated row")))
            record.ok = False
        else:
            first[key] = record.pos


def check_rels(rels: list[ResolvedRel], problems: list[Problem]) -> list[ResolvedRel]:
    """Rels the schema allows, each once; problems for the others."""
    kept: dict[tuple[str, str, str, str, str], ResolvedRel] = {}
    allowed: dict[tuple[str, str, str], bool] = {}  # a few combinations, asked once per relationship
    for rel in rels:
        rel_type, from_label, from_id, to_label, to_id, props, pos = rel
        ends = (rel_type, from_label, to_label)
        if ends not in allowed:
            allowed[ends] = SCHEMA.rel_type(rel_type).allows(from_label, to_label)
        if not allowed[ends]:
            schema_rel = SCHEMA.rel_type(rel_type)
            problems.append(pos.problem(
                _("{type} cannot go from {start} to {end}").format(type=rel_type, start=from_label, end=to_label),
                _("{type} goes {ends}").format(type=rel_type, ends=schema_rel.describe_ends(_(" to ")))))
            continue
        key = (rel_type, from_label, from_id, to_label, to_id)
        if key in kept:
            if kept[key].props != props and props:
                previous = kept[key].pos
                problems.append(pos.problem(
                    _("{type} {start} -> {end} is given again with other properties (first in {where})").format(
                        type=rel_type, start=from_id, end=to_id,
                        where=_(", ").join(position_parts(None, previous.row_word, previous.row))),
                    _("keep one of the two rows")))
            continue
        kept[key] = rel
    return list(kept.values())
