"""``chain match``: run the matcher over the graph's enterprises and write IN_SEGMENT links.

Only chains with a template applied (``chain apply``) take part; a template segment is found in
the graph through the segment's ``template_segment``. Links are written inferred, with decision,
score, rule_version and evidence. A link the district states (not inferred) or a reviewer accepted
is never overwritten; a segment a reviewer rejected for an enterprise is not proposed again; the
matcher's own earlier links that no longer match are removed. One all-or-nothing write.
"""

from __future__ import annotations

import datetime as _dt
import time
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError
from ..graph import Backend, GraphBatch, RelRow, WriteSummary
from .matcher import RULE_VERSION, Enterprise, Matcher, Proposal
from .registry import Dirs, load_templates

MATCH_SOURCE = "chain match"
PAGE = 20_000


@dataclass
class ChainTarget:
    chain_id: str
    chain: str
    template: str
    segments: dict[str, str]  # template segment name -> graph segment id


@dataclass
class MatchResult:
    proposals: list[tuple[Proposal, str, str]]  # (proposal, chain name, segment id)
    kept: int  # stated or reviewed links left as they are
    removed: list[tuple[str, str]]  # the matcher's earlier links that no longer match
    dry_run: bool
    seconds: float = 0.0
    enterprises: int = 0
    written: WriteSummary | None = None
    counts: dict[str, int] = field(default_factory=dict)

    def to_rows(self, decisions: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
        return [{"enterprise": p.enterprise, "chain": chain, "segment": p.segment, "segment_id": seg_id,
                 "decision": p.decision, "score": p.score, "evidence": p.evidence_texts()}
                for p, chain, seg_id in self.proposals if decisions is None or p.decision in decisions]


def chain_targets(backend: Backend, chain: str | None = None) -> list[ChainTarget]:
    rows = backend.read(
        "MATCH (s:ChainSegment)-[:PART_OF]->(c:Chain) WHERE c.template IS NOT NULL AND s.template_segment IS NOT NULL "
        "AND ($chain IS NULL OR c.id = $chain OR c.name = $chain OR $chain IN coalesce(c.aliases, [])) "
        "RETURN c.id AS chain_id, c.name AS chain, c.template AS template, s.template_segment AS ts, s.id AS sid "
        "ORDER BY chain_id, sid", {"chain": chain})
    targets: dict[str, ChainTarget] = {}
    for row in rows:
        target = targets.setdefault(row["chain_id"], ChainTarget(row["chain_id"], row["chain"], row["template"], {}))
        target.segments.setdefault(row["ts"], row["sid"])
    if chain is not None and not targets:
        raise InputError(f"chain {chain!r:.60} has no template applied (or does not exist) — "
                         "run `portfolio-graph chain apply TEMPLATE --chain NAME` first")
    return list(targets.values())


def read_enterprises(backend: Backend) -> list[dict[str, Any]]:
    """Every enterprise with the fields the matcher reads, page by page, and its projects' names."""
    rows: list[dict[str, Any]] = []
    after = ""
    while True:
        page = backend.read(
            "MATCH (e:Enterprise) WHERE e.id > $after WITH e ORDER BY e.id LIMIT $n "
            "OPTIONAL MATCH (p:Project)-[:OPERATED_BY]->(e) "
            "RETURN e.id AS id, e.name AS name, e.industry_code AS industry_code, e.industry_name AS industry_name, "
            "e.industry AS industry, e.business_scope AS business_scope, e.products AS products, e.tags AS tags, "
            "e.rejected_segments AS rejected_segments, collect(p.name) AS projects ORDER BY id",
            {"after": after, "n": PAGE})
        rows += page
        if len(page) < PAGE:
            return rows
        after = page[-1]["id"]


def _existing(backend: Backend, segment_ids: list[str]) -> dict[tuple[str, str], dict[str, Any]]:
    rows = backend.read(
        "MATCH (e:Enterprise)-[r:IN_SEGMENT]->(s:ChainSegment) WHERE s.id IN $ids "
        "RETURN e.id AS e, s.id AS s, r.inferred AS inferred, r.reviewed_by AS reviewed_by, "
        "r.rule_version AS rule_version", {"ids": segment_ids})
    return {(r["e"], r["s"]): r for r in rows}


def run_match(backend: Backend, chain: str | None = None, dry_run: bool = False,
              templates_dir: Dirs = None) -> MatchResult:
    started = time.perf_counter()
    targets = chain_targets(backend, chain)
    if not targets:
        raise InputError("no chain has a template applied — run `portfolio-graph chain apply TEMPLATE --chain NAME` first")
    templates = load_templates(templates_dir)
    missing = sorted({t.template for t in targets} - set(templates))
    if missing:
        raise InputError(f"template(s) {', '.join(missing)} applied to a chain cannot be found — give --templates-dir")
    matcher = Matcher([templates[name] for name in dict.fromkeys(t.template for t in targets)])
    by_template: dict[str, list[ChainTarget]] = {}
    for target in targets:
        by_template.setdefault(target.template, []).append(target)
    segment_ids = [sid for t in targets for sid in t.segments.values()]
    existing = _existing(backend, segment_ids)
    enterprises = read_enterprises(backend)
    result = MatchResult([], 0, [], dry_run, enterprises=len(enterprises))
    proposed: set[tuple[str, str]] = set()
    for row in enterprises:
        rejected = set(row.get("rejected_segments") or [])
        for proposal in matcher.match(Enterprise.from_row(row)):
            for target in by_template.get(proposal.template, []):
                seg_id = target.segments.get(proposal.segment)
                if seg_id is None or seg_id in rejected:
                    continue
                old = existing.get((row["id"], seg_id))
                if old is not None and (not old["inferred"] or old["reviewed_by"] or not old["rule_version"]):
                    result.kept += 1  # stated, reviewed, or a hand-made inference: never overwritten
                    continue
                proposed.add((row["id"], seg_id))
                result.proposals.append((proposal, target.chain, seg_id))
    result.removed = sorted(key for key, old in existing.items()
                            if old["rule_version"] and old["inferred"] and not old["reviewed_by"] and key not in proposed)
    for proposal, _, _ in result.proposals:
        result.counts[proposal.decision] = result.counts.get(proposal.decision, 0) + 1
    if not dry_run:
        result.written = backend.upsert(_batch(result))
    result.seconds = time.perf_counter() - started
    return result


def _batch(result: MatchResult) -> GraphBatch:
    batch = GraphBatch()
    today = _dt.date.today().isoformat()
    for proposal, _, seg_id in result.proposals:
        batch.add_rel("IN_SEGMENT", RelRow("Enterprise", proposal.enterprise, "ChainSegment", seg_id, {
            "inferred": True, "inferred_reason": f"chain matcher {RULE_VERSION} on {today}",
            "decision": proposal.decision, "score": proposal.score, "rule_version": RULE_VERSION,
            "evidence": proposal.evidence_texts(), "source": MATCH_SOURCE}))
    for enterprise, seg_id in result.removed:
        batch.delete_rel("IN_SEGMENT", RelRow("Enterprise", enterprise, "ChainSegment", seg_id))
    return batch
