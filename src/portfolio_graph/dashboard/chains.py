"""The chain maps: each chain's segments upstream → downstream, coloured by the status the
chain-completeness report gives them, with the enterprises and projects in each segment and how
each link is known.

The statuses come from the report (so the page and ``report run chain-completeness`` agree);
the members come from the links themselves, because the page lists inferred and matched links
with their evidence where the report only counts them.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ..graph import Backend
from .nodes import NodeTable, read_links

# Listed per segment and kind; the rest are counted. At scale M a segment holds hundreds of
# enterprises and the page names where to get the full list.
LIST_LIMIT = 60
# Link properties that say how a matched link was decided (the chain matcher and review write them).
DECISION_FIELDS = ("decision", "score", "rule_version", "evidence", "reviewed_by", "reviewed_at")


def how_known(link: dict[str, Any]) -> str:
    """reviewed (a person accepted it), the matcher's decision (candidate / matched / confirmed),
    else stated or inferred."""
    if link.get("reviewed_by") or link.get("reviewed_at"):
        return "reviewed"
    if link.get("decision"):
        return str(link["decision"])
    return "inferred" if link.get("inferred") else "stated"


def _link_entry(table: NodeTable, node: int, link: dict[str, Any]) -> list[Any]:
    entry: list[Any] = [node, how_known(link), table.provenance(link)]
    evidence = {k: link[k] for k in DECISION_FIELDS if link.get(k) is not None}
    if evidence:
        entry.append(evidence)
    return entry


def _segments(backend: Backend, table: NodeTable) -> dict[str, list[dict[str, Any]]]:
    """Segments by chain id, each with its node index; PART_OF links carry their own provenance."""
    by_id = table.all("ChainSegment")
    chains: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for link in read_links(backend, "PART_OF", "ChainSegment", "Chain"):
        seg = by_id.get(link["a"])
        if seg is None:
            continue
        chains[link["b"]].append({"node": table.add("ChainSegment", seg), "name": seg["name"],
                                  "position": seg.get("position"), "link": table.provenance(link),
                                  "inferred": bool(link.get("inferred")), "source": seg.get("source"),
                                  "template_segment": seg.get("template_segment"),
                                  "template_order": seg.get("template_order"), "stream": seg.get("stream")})
    return chains


def _members(backend: Backend, table: NodeTable) -> dict[tuple[str, str], dict[str, list]]:
    """(label, id) of a segment or chain → {'e': enterprise entries, 'p': project entries} and how many
    more are not listed. Inferred links are listed on a strict page too, marked as such: a planner
    sees what a lenient count adds."""
    members: dict[tuple[str, str], dict[str, list]] = defaultdict(lambda: {"e": [], "p": [], "more_e": 0, "more_p": 0})
    wanted = [("IN_SEGMENT", "Enterprise", "ChainSegment"), ("IN_CHAIN", "Enterprise", "ChainSegment"),
              ("IN_CHAIN", "Enterprise", "Chain"), ("IN_CHAIN", "Project", "ChainSegment"), ("IN_CHAIN", "Project", "Chain")]
    for rel, source, target in wanted:
        extra = DECISION_FIELDS if rel == "IN_SEGMENT" else ()
        kind = "e" if source == "Enterprise" else "p"
        listed: list[tuple[dict[str, list], dict[str, Any]]] = []
        count: dict[tuple[str, str], int] = defaultdict(int)
        for link in read_links(backend, rel, source, target, _existing(backend, rel, extra)):
            key = (target, link["b"])
            if count[key] >= LIST_LIMIT:
                members[key]["more_" + kind] += 1
                continue
            count[key] += 1
            listed.append((members[key], link))
        nodes = table.some(source, {link["a"] for _, link in listed})  # only the listed ones are read
        for bucket, link in listed:
            if link["a"] in nodes:
                bucket[kind].append(_link_entry(table, table.add(source, nodes[link["a"]]), link))
    return members


def _existing(backend: Backend, rel: str, fields: tuple[str, ...]) -> tuple[str, ...]:
    # Neo4j warns about property keys it has never seen; ask only for those some link carries.
    if not fields:
        return ()
    rows = backend.read(f"MATCH ()-[r:`{rel}`]->() WITH r LIMIT 2000 UNWIND keys(r) AS k RETURN DISTINCT k AS k")
    present = {row["k"] for row in rows}
    return tuple(f for f in fields if f in present)


def _anchors(backend: Backend, table: NodeTable) -> dict[str, list]:
    anchors: dict[str, list] = defaultdict(list)
    links = read_links(backend, "ANCHORS", "Enterprise", "Chain")
    enterprises = table.some("Enterprise", {link["a"] for link in links})
    for link in links:
        if link["a"] in enterprises:
            anchors[link["b"]].append(_link_entry(table, table.add("Enterprise", enterprises[link["a"]]), link))
    return anchors


def _drawn(chain: dict[str, Any], segs: list[dict[str, Any]], template: bool) -> list[dict[str, Any]]:
    """The segments a chain's map draws, in order: the district's own (not the ones chain apply added
    from a template) or, against a template, every segment mapped onto it in the template's order."""
    if template:
        chosen = [s for s in segs if s["template_segment"]]
        return sorted(chosen, key=lambda s: (s["template_order"] is None, s["template_order"] or 0, s["name"]))
    chosen = [s for s in segs if s["source"] != "template"]
    return sorted(chosen, key=lambda s: (s["position"] is None, s["position"] or 0, s["name"]))


def chain_maps(backend: Backend, table: NodeTable, district: list[dict[str, Any]], template: list[dict[str, Any]],
               lenient: bool) -> list[dict[str, Any]]:
    """One entry per chain: anchors, coverage, and its segments upstream first with status and members.
    A chain with a template applied is drawn against it (``template`` rows: the report's template
    view, with 延链), the others as the district states them (``district`` rows). A strict page leaves
    out segments whose PART_OF link is inferred, as the report does, and counts them."""
    templated = {row["chain"] for row in template}
    segments, members, anchors = _segments(backend, table), _members(backend, table), _anchors(backend, table)
    empty = {"e": [], "p": [], "more_e": 0, "more_p": 0}
    out = []
    for chain in table.all("Chain").values():
        view = "template" if chain["name"] in templated else "district"
        rows = template if view == "template" else district
        status = {row.get("segment"): row for row in rows if row["chain"] == chain["name"]}
        summary = next(iter(status.values()), {})
        segs, hidden = [], 0
        for seg in _drawn(chain, segments.get(chain["id"], []), view == "template"):
            if seg["inferred"] and not lenient:
                hidden += 1
                continue
            row = status.get(seg["name"], {})
            bucket = members.get(("ChainSegment", table.rows[seg["node"]]["i"]), empty)
            segs.append({**seg, "status": row.get("status") or ("补链" if not bucket["e"] else "已覆盖"),
                         "stated": row.get("stated_count"), "lenient": row.get("lenient_count"), **bucket})
        segs.extend(_report_only_segments(rows, chain["name"], {s["name"] for s in segs}))
        whole = members.get(("Chain", chain["id"]), empty)
        entry = {"node": table.add("Chain", chain), "name": chain["name"], "industry": chain.get("industry"),
                 "view": view, "template": chain.get("template"), "anchors": anchors.get(chain["id"], []),
                 "covered": summary.get("covered"), "total": summary.get("total"), "pct": summary.get("coverage_pct"),
                 "pct_strict": summary.get("coverage_strict_pct"), "pct_lenient": summary.get("coverage_lenient_pct"),
                 "hidden": hidden, "segments": [_compact(s) for s in segs],
                 **{k: whole[k] for k in ("e", "p", "more_e", "more_p")}}
        out.append({k: v for k, v in entry.items() if v is not None})
    return out


def _compact(seg: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in seg.items() if v is not None and k not in ("source", "template_order")}


def _report_only_segments(rows: list[dict[str, Any]], chain: str, drawn: set[str]) -> list[dict[str, Any]]:
    """Segments the report lists that the graph does not hold (a template's 延链 segments)."""
    extra = []
    for row in rows:
        if row["chain"] == chain and row.get("segment") and row["segment"] not in drawn:
            extra.append({"node": None, "name": row["segment"], "position": row.get("position"),
                          "status": row.get("status"), "stated": row.get("stated_count"),
                          "lenient": row.get("lenient_count"), "e": [], "p": [], "more_e": 0, "more_p": 0,
                          "template_only": True})
    return extra
