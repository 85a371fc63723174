"""Applying a chain template to a district chain: map, diff, one all-or-nothing write.

The district's own segments stay as they are, with their quotes; each is mapped onto a template
segment by name or alias, or by a mapping file (``district segment: template segment``), and gets
the template segment, its order and stream. Template segments the district lacks are added,
marked ``source=template``, with the template's UPSTREAM_OF links between segments.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..graph import Backend, GraphBatch, RelRow, WriteSummary
from ..loaders.diff import Change, field_changes
from .template import Template

TEMPLATE_SOURCE = "template"


@dataclass
class ApplyResult:
    chain_id: str
    chain: str
    template: str
    changes: list[Change]
    mapped: dict[str, str]  # district segment name -> template segment name
    unmapped: list[str]  # district segments no template segment takes
    dry_run: bool
    batch: GraphBatch = field(repr=False, default_factory=GraphBatch)
    written: WriteSummary | None = None
    template_segments: list[str] = field(default_factory=list)

    def to_rows(self) -> list[dict[str, Any]]:
        rows = []
        for change in self.changes:
            base = {"status": change.status, "kind": change.kind, "label": change.label, "id": change.id,
                    "name": change.name}
            rows += [{**base, "field": f, "old": old, "new": new} for f, old, new in change.fields] or \
                [{**base, "field": None, "old": None, "new": None}]
        return rows


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", str(text)).split()).lower()


def find_chain(backend: Backend, ref: str) -> dict[str, Any]:
    rows = backend.read("MATCH (c:Chain) WHERE c.id = $r OR c.name = $r OR $r IN coalesce(c.aliases, []) "
                        "RETURN c.id AS id, c.name AS name, c.aliases AS aliases, c.industry AS industry, "
                        "c.template AS template", {"r": ref})
    if not rows:
        names = [r["name"] for r in backend.read("MATCH (c:Chain) RETURN c.name AS name ORDER BY name")]
        raise InputError(f"no chain named {ref!r:.60}; chains: {', '.join(names) or '(none: load a portfolio first)'}")
    return rows[0]


def read_mapping(path: str | Path | None, template: Template) -> dict[str, str]:
    """A mapping file: YAML ``district segment: template segment`` lines, checked against the template."""
    if path is None:
        return {}
    import yaml

    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InputError(f"{path}: cannot read the segment mapping: {exc} — write `district segment: template segment` lines")
    if not isinstance(data, dict):
        raise InputError(f"{path}: the segment mapping must be YAML lines `district segment: template segment`")
    names = {s.name for s in template.segments}
    problems = [f"{path.name}: {k!r} maps to {v!r}, which is no segment of {template.name} — use one of: {', '.join(names)}"
                for k, v in data.items() if str(v) not in names]
    if problems:
        raise InputError("\n".join(problems))
    return {str(k): str(v) for k, v in data.items()}


def _slug(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z\u4e00-\u9fff]+", "-", text).strip("-")


def plan_apply(backend: Backend, template: Template, chain_ref: str, mapping: dict[str, str] | None = None,
               dry_run: bool = False) -> ApplyResult:
    """The changes applying ``template`` to the chain would make, and the batch that makes them."""
    chain = find_chain(backend, chain_ref)
    existing = backend.read(
        "MATCH (s:ChainSegment)-[:PART_OF]->(c:Chain {id: $id}) RETURN s.id AS id, s.name AS name, "
        "s.aliases AS aliases, s.source AS source, s.stream AS stream, s.template_segment AS template_segment, "
        "s.template_order AS template_order, s.position AS position ORDER BY id", {"id": chain["id"]})
    mapping = mapping or {}
    by_word = {_fold(w): seg.name for seg in template.segments for w in seg.names}
    seg_of: dict[str, str] = {}  # template segment name -> graph segment id
    result = ApplyResult(chain["id"], chain["name"], template.name, [], {}, [], dry_run,
                         template_segments=[s.name for s in template.segments])
    batch = result.batch
    for row in existing:
        target = mapping.get(row["name"])
        if target is None and row["source"] == TEMPLATE_SOURCE:
            target = row["template_segment"]
        if target is None:
            target = next((by_word[_fold(w)] for w in [row["name"], *(row["aliases"] or [])] if _fold(w) in by_word), None)
        if target is None:
            result.unmapped.append(row["name"])
            continue
        if row["source"] != TEMPLATE_SOURCE:
            result.mapped[row["name"]] = target
        seg_of.setdefault(target, row["id"])
        segment = template.segment(target)
        new = {"template_segment": target, "template_order": segment.order, "stream": segment.stream}
        diff = field_changes(row, new, ())
        if diff:
            result.changes.append(Change("changed", "node", "ChainSegment", row["id"], row["name"], diff))
            batch.add_node("ChainSegment", {"id": row["id"], **new})
    created: set[str] = set()
    # Added segments come after the district's own in `position` (reports order by it); the
    # template's order is `template_order`.
    base = max([r["position"] or 0 for r in existing if r["source"] != TEMPLATE_SOURCE] or [0])
    for segment in template.segments:
        if segment.name in seg_of:
            continue
        seg_id = f"{chain['id']}--{_slug(segment.name)}"
        seg_of[segment.name] = seg_id
        created.add(seg_id)
        props = {"id": seg_id, "name": segment.name, "aliases": list(segment.aliases) or None,
                 "position": base + segment.order, "template_segment": segment.name, "template_order": segment.order,
                 "stream": segment.stream, "source": TEMPLATE_SOURCE,
                 "notes": f"chain template {template.name} v{template.version}: {template.source_text(segment)}"}
        props = {k: v for k, v in props.items() if v is not None}
        result.changes.append(Change("added", "node", "ChainSegment", seg_id, segment.name,
                                     [("stream", None, segment.stream), ("source", None, TEMPLATE_SOURCE)]))
        batch.add_node("ChainSegment", props, new=True)
        batch.add_rel("PART_OF", RelRow("ChainSegment", seg_id, "Chain", chain["id"], {"source": TEMPLATE_SOURCE}), new=True)
        result.changes.append(Change("added", "relationship", "PART_OF", f"{seg_id} -> {chain['id']}"))
    ids = sorted(set(seg_of.values()) - created)
    old_up = {(r["a"], r["b"]) for r in backend.read(
        "MATCH (a:ChainSegment)-[:UPSTREAM_OF]->(b:ChainSegment) WHERE a.id IN $ids AND b.id IN $ids "
        "RETURN a.id AS a, b.id AS b", {"ids": ids})} if ids else set()
    for upstream, downstream, products in template.upstream_pairs():
        a, b = seg_of[upstream.name], seg_of[downstream.name]
        if (a, b) in old_up:
            continue
        reason = f"chain template {template.name}: {upstream.name} supplies {'、'.join(products)} to {downstream.name}"
        batch.add_rel("UPSTREAM_OF", RelRow("ChainSegment", a, "ChainSegment", b,
                                            {"source": TEMPLATE_SOURCE, "inferred": True, "inferred_reason": reason}),
                      new=a in created or b in created)
        result.changes.append(Change("added", "relationship", "UPSTREAM_OF", f"{a} -> {b}", None,
                                     [("products", None, "、".join(products))]))
    if chain.get("template") != template.name:
        result.changes.append(Change("changed", "node", "Chain", chain["id"], chain["name"],
                                     [("template", chain.get("template"), template.name)]))
        batch.add_node("Chain", {"id": chain["id"], "template": template.name})
    return result


def apply_template(backend: Backend, template: Template, chain_ref: str, mapping: dict[str, str] | None = None,
                   dry_run: bool = False) -> ApplyResult:
    """Plan, then (unless ``dry_run``) write every change in one all-or-nothing batch."""
    result = plan_apply(backend, template, chain_ref, mapping, dry_run)
    if not dry_run and not result.batch.is_empty():
        result.batch.check()
        result.written = backend.upsert(result.batch)
    return result


def apply_covered(backend: Backend, templates: dict[str, Template]) -> list[ApplyResult]:
    """Apply to every chain a template covers (by the chain's name, aliases or industry)."""
    from .registry import template_for_chain

    results = []
    for chain in backend.read("MATCH (c:Chain) RETURN c.id AS id, c.name AS name, c.aliases AS aliases, "
                              "c.industry AS industry ORDER BY id"):
        template = template_for_chain([chain["name"], *(chain["aliases"] or [])], templates)
        if template is not None:
            results.append(apply_template(backend, template, chain["id"]))
    return results
