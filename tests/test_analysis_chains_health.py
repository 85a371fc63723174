"""Chain metrics, health checks and the GraphML file, on small hand-built graphs, both engines."""

from __future__ import annotations

import networkx as nx

from portfolio_graph.analysis import chain_metrics, health, write_graphml
from portfolio_graph.analysis.frames import records
from portfolio_graph.graph import GraphBatch, RelRow
from test_analysis_graphs import buildout_batch, load


def chain_batch() -> GraphBatch:
    """Chain 链K: segments 上游 → 中游 → 下游 (UPSTREAM_OF). 甲企业 works in 上游 and 下游,
    乙企业 in 中游; 丙企业 is the 链主 with no segment; 丁企业 is in no chain at all."""
    b = GraphBatch()
    b.add_node("Chain", {"id": "K", "name": "链K"})
    for position, (sid, name) in enumerate([("K1", "上游"), ("K2", "中游"), ("K3", "下游")], start=1):
        b.add_node("ChainSegment", {"id": sid, "name": name, "position": position})
        b.add_rel("PART_OF", RelRow("ChainSegment", sid, "Chain", "K"))
    b.add_rel("UPSTREAM_OF", RelRow("ChainSegment", "K1", "ChainSegment", "K2"))
    b.add_rel("UPSTREAM_OF", RelRow("ChainSegment", "K2", "ChainSegment", "K3", {"inferred": True}))
    for eid, name in [("E1", "甲企业"), ("E2", "乙企业"), ("E3", "丙企业"), ("E4", "丁企业")]:
        b.add_node("Enterprise", {"id": eid, "name": name})
    b.add_rel("IN_SEGMENT", RelRow("Enterprise", "E1", "ChainSegment", "K1"))
    b.add_rel("IN_SEGMENT", RelRow("Enterprise", "E1", "ChainSegment", "K3"))
    b.add_rel("IN_SEGMENT", RelRow("Enterprise", "E2", "ChainSegment", "K2", {"inferred": True}))
    b.add_rel("ANCHORS", RelRow("Enterprise", "E3", "Chain", "K"))
    return b


def test_chain_coverage_reach_and_centrality(backend):
    graph = load(backend, chain_batch())
    metrics = chain_metrics(graph)
    assert records(metrics.chains, ["chain", "segments", "covered_segments", "coverage", "gaps", "anchors",
                                    "enterprises", "upstream_links"]) == [
        {"chain": "链K", "segments": 3, "covered_segments": 3, "coverage": 1, "gaps": [], "anchors": ["丙企业"],
         "enterprises": 3, "upstream_links": 2},
    ]
    assert records(metrics.segments, ["segment", "enterprise_count", "upstream_reach", "downstream_reach"]) == [
        {"segment": "上游", "enterprise_count": 1, "upstream_reach": 0, "downstream_reach": 2},
        {"segment": "中游", "enterprise_count": 1, "upstream_reach": 1, "downstream_reach": 1},
        {"segment": "下游", "enterprise_count": 1, "upstream_reach": 2, "downstream_reach": 0},
    ]
    # 甲企业 lies on one of the three shortest 上游–下游 paths (via 链K, via 中游, via itself):
    # betweenness 1/3, normalised by (n-1)(n-2)/2 = 15 for the 7-node chain graph: 0.0222.
    assert records(metrics.enterprises, ["enterprise", "is_anchor", "segments", "segment_share", "betweenness"]) == [
        {"enterprise": "甲企业", "is_anchor": False, "segments": ["上游", "下游"], "segment_share": 0.6667,
         "betweenness": 0.0222},
        {"enterprise": "乙企业", "is_anchor": False, "segments": ["中游"], "segment_share": 0.3333, "betweenness": 0},
        {"enterprise": "丙企业", "is_anchor": True, "segments": [], "segment_share": 0, "betweenness": 0},
    ]


def test_health_checks_on_a_small_portfolio(backend):
    batch = buildout_batch()
    batch.extend(chain_batch())
    batch.add_node("Goal", {"id": "G9", "name": "无人负责的目标", "metric": "x"})
    batch.add_node("Policy", {"id": "POL1", "name": "孤立政策"})
    graph = load(backend, batch)
    result = health(graph)
    checks = {row["check"]: row for row in records(result.checks)}
    assert checks["dependency_cycles"]["count"] == 0
    assert checks["orphans"]["items"] == ["丁企业", "无人负责的目标", "孤立政策"]
    # A reaches no goal; B, C (chain 芯片), D (direct and via S), E, S do; F (仓储) does not
    assert checks["projects_without_goal"]["items"] == ["土地整备", "仓储"]
    assert checks["goals_without_contributor"]["items"] == ["无人负责的目标"]
    assert checks["enterprises_in_no_chain"]["items"] == ["丁企业"]
    assert checks["segments_without_enterprise"]["count"] == 1  # 封测 of chain 芯片
    # D has no duration and no dates; F neither; S is a counted set and needs none
    assert checks["projects_missing_duration"]["items"] == ["投产", "仓储"]
    assert (checks["projects_missing_duration"]["count"], checks["projects_missing_duration"]["out_of"]) == (2, 6)
    assert checks["dependency_projects_missing_duration"]["items"] == ["投产"]
    assert checks["inferred_relationships"]["count"] == 3
    counts = {(r["kind"], r["name"]): r["count"] for r in records(result.counts)}
    assert counts[("label", "Project")] == 7 and counts[("relationship", "UPSTREAM_OF")] == 2


def test_graphml_joins_lists_drops_nones_and_gives_edges_unique_ids(backend, tmp_path):
    batch = buildout_batch()
    batch.add_node("Enterprise", {"id": "E1", "name": "利扬芯片", "tags": ["链主", "上市"]})
    graph = load(backend, batch)
    path = write_graphml(graph, tmp_path / "g.graphml")
    back = nx.read_graphml(path, force_multigraph=True)
    assert back.nodes["Enterprise:E1"]["tags"] == "链主|上市"
    assert back.nodes["Enterprise:E1"]["label"] == "利扬芯片"  # Gephi shows `label`
    assert back.nodes["Enterprise:E1"]["schema_label"] == "Enterprise"
    assert back.nodes["Project:A"]["duration_months"] == 6
    assert "status" not in back.nodes["Project:A"]  # None values are not written
    assert back.nodes["Parcel:L"]["area_mu"] == 12.5
    keys = [k for _, _, k in back.edges(keys=True)]
    assert len(keys) == len(set(keys)) == 14
    assert sorted({d["type"] for *_, d in back.edges(data=True)}) == [
        "CONTRIBUTES_TO", "DEPENDS_ON", "IN_CHAIN", "MEMBER_OF", "PART_OF", "USES_PARCEL"]
