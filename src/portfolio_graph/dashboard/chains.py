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
DECISION_FIELDS = ("decision", "match_status", "review_status", "reviewed_by", "reviewed_at", "evidence", "score")


def how_known(link: dict[str, Any]) -> str:
    """stated / inferred / matched / confirmed / reviewed …: the decision a link carries, else
    whether it is stated or inferred."""
    for name in ("review_status", "decision", "match_status"):
        if link.get(name):
            return str(link[name])
    if link.get("reviewed_by") or link.get("reviewed_at"):
        return "reviewed"
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
                                  "inferred": bool(link.get("inferred"))})
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


def chain_maps(backend: Backend, table: NodeTable, report_rows: list[dict[str, Any]], lenient: bool) -> list[dict[str, Any]]:
    """One entry per chain: anchors, covered/total, and its segments in order with status and members.
    A strict page leaves out segments whose PART_OF link is inferred, as the report does, and counts them."""
    status = {(row["chain"], row.get("segment")): row for row in report_rows}
    segments = _segments(backend, table)
    members = _members(backend, table)
    anchors: dict[str, list] = defaultdict(list)
    anchor_links = read_links(backend, "ANCHORS", "Enterprise", "Chain")
    enterprises = table.some("Enterprise", {link["a"] for link in anchor_links})
    for link in anchor_links:
        if link["a"] in enterprises:
            anchors[link["b"]].append(_link_entry(table, table.add("Enterprise", enterprises[link["a"]]), link))
    out = []
    for chain in table.all("Chain").values():
        summary = next((row for row in report_rows if row["chain"] == chain["name"]), {})
        segs, hidden = [], 0
        for seg in sorted(segments.get(chain["id"], []), key=lambda s: (s["position"] is None, s["position"] or 0, s["name"])):
            if seg["inferred"] and not lenient:
                hidden += 1
                continue
            row = status.get((chain["name"], seg["name"]), {})
            bucket = members.get(("ChainSegment", table.rows[seg["node"]]["i"]), {"e": [], "p": [], "more_e": 0, "more_p": 0})
            segs.append({**seg, "status": row.get("status") or ("补链" if not bucket["e"] else "已覆盖"),
                         "stated": row.get("stated_count"), "lenient": row.get("lenient_count"), **bucket})
        segs.extend(_report_only_segments(report_rows, chain["name"], {s["name"] for s in segs}))
        whole = members.get(("Chain", chain["id"]), {"e": [], "p": [], "more_e": 0, "more_p": 0})
        out.append({"node": table.add("Chain", chain), "name": chain["name"], "industry": chain.get("industry"),
                    "anchors": anchors.get(chain["id"], []), "covered": summary.get("covered"),
                    "total": summary.get("total"), "pct": summary.get("coverage_pct"), "hidden": hidden,
                    "segments": segs, **{k: whole[k] for k in ("e", "p", "more_e", "more_p")}})
    return out


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
