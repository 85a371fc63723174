"""Checks across rows that no single cell shows: duplicate ids, relationship endpoints the schema
does not allow, duplicate relationships that disagree."""

from __future__ import annotations

from ..graph.schema import KEY, SCHEMA
from .problems import Problem
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
            where = seen.file.name if seen.file != record.pos.file else ""
            where += f"{', ' if where else ''}{'sheet ' + seen.sheet + ', ' if seen.sheet else ''}{seen.row_word} {seen.row}"
            problems.append(record.pos.problem(
                f"duplicate {record.label} id {node_id!r:.60}: already given in {where}",
                "give each row its own id, or remove the repeated row"))
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
                f"{rel_type} cannot go from {from_label} to {to_label}",
                f"{rel_type} goes {schema_rel.describe_ends(' to ')}"))
            continue
        key = (rel_type, from_label, from_id, to_label, to_id)
        if key in kept:
            if kept[key].props != props and props:
                previous = kept[key].pos
                problems.append(pos.problem(
                    f"{rel_type} {from_id} -> {to_id} is given again with other properties "
                    f"(first in {previous.row_word} {previous.row})", "keep one of the two rows"))
            continue
        kept[key] = rel
    return list(kept.values())
