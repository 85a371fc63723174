"""Small hand-built portfolios for the analysis tests, and the export contract on both engines.

The build-out network (answers worked by hand in the tests that use it)::

    地块L (Parcel)   土地整备A (6 months, planned_end 2023-06-30)
            \\          /
             厂房建设B (start 2023-01-01 → planned_end 2023-12-31: 12.0 months)
                  |
             设备安装C (3 months, planned_end 2024-01-31)      配套道路E (2 months)
                  \\                                            /
                   投产D (no duration, no dates) --------------'
                          |
                    MEMBER_OF 投产项目集合S (kind 集合)

    仓储F USES_PARCEL 地块L.   (arrows above: the lower node DEPENDS_ON the upper one)

Goals: D → G1 (2024), S → G2 (2023), C IN_CHAIN segment 封测 PART_OF chain 芯片 → G3 (2023),
B → G5 (2025), E → G4 (2023).
"""

from __future__ import annotations

from portfolio_graph.analysis import to_networkx
from portfolio_graph.graph import GraphBatch, RelRow


def buildout_batch() -> GraphBatch:
    b = GraphBatch()
    b.add_node("Project", {"id": "A", "name": "土地整备", "duration_months": 6, "planned_end": "2023-06-30"})
    b.add_node("Project", {"id": "B", "name": "厂房建设", "start": "2023-01-01", "planned_end": "2023-12-31",
                           "aliases": ["新厂房"]})
    b.add_node("Project", {"id": "C", "name": "设备安装", "duration_months": 3, "planned_end": "2024-01-31"})
    b.add_node("Project", {"id": "D", "name": "投产", "status": "谋划"})
    b.add_node("Project", {"id": "E", "name": "配套道路", "duration_months": 2})
    b.add_node("Project", {"id": "F", "name": "仓储"})
    b.add_node("Project", {"id": "S", "name": "投产项目集合", "kind": "集合", "set_size": 1})
    b.add_node("Parcel", {"id": "L", "name": "地块L", "area_mu": 12.5})
    b.add_node("Chain", {"id": "X", "name": "芯片"})
    b.add_node("ChainSegment", {"id": "X1", "name": "封测", "position": 1})
    for gid, name, year in [("G1", "投产目标", 2024), ("G2", "集合目标", 2023), ("G3", "产值目标", 2023),
                            ("G4", "道路目标", 2023), ("G5", "远期目标", 2025)]:
        b.add_node("Goal", {"id": gid, "name": name, "metric": name, "year": year, "target_value": 10.0, "unit": "个"})
    dep = [("B", "Project", "A"), ("B", "Parcel", "L"), ("C", "Project", "B"), ("D", "Project", "C"),
           ("D", "Project", "E")]
    for src, label, dst in dep:
        b.add_rel("DEPENDS_ON", RelRow("Project", src, label, dst, {"inferred": src == "D" and dst == "E"}))
    b.add_rel("USES_PARCEL", RelRow("Project", "F", "Parcel", "L"))
    b.add_rel("MEMBER_OF", RelRow("Project", "D", "Project", "S"))
    b.add_rel("IN_CHAIN", RelRow("Project", "C", "ChainSegment", "X1"))
    b.add_rel("PART_OF", RelRow("ChainSegment", "X1", "Chain", "X"))
    for src, goal in [("D", "G1"), ("S", "G2"), ("E", "G4"), ("B", "G5")]:
        b.add_rel("CONTRIBUTES_TO", RelRow("Project", src, "Goal", goal))
    b.add_rel("CONTRIBUTES_TO", RelRow("Chain", "X", "Goal", "G3"))
    return b


def cycle_batch() -> GraphBatch:
    """甲 → 乙 → 丙 → 甲 (each DEPENDS_ON the next), plus 丁 DEPENDS_ON 甲 outside the cycle."""
    b = GraphBatch()
    for pid, name in [("P1", "甲"), ("P2", "乙"), ("P3", "丙"), ("P4", "丁")]:
        b.add_node("Project", {"id": pid, "name": name})
    for src, dst in [("P1", "P2"), ("P2", "P3"), ("P3", "P1"), ("P4", "P1")]:
        b.add_rel("DEPENDS_ON", RelRow("Project", src, "Project", dst))
    return b


def load(backend, batch: GraphBatch):
    backend.upsert(batch)
    return to_networkx(backend)


def test_export_keeps_labels_properties_and_typed_edges(backend):
    graph = load(backend, buildout_batch())
    assert graph.number_of_nodes() == 15
    assert graph.number_of_edges() == 14
    assert graph.nodes["Project:B"] == {
        "label": "Project", "id": "B", "name": "厂房建设", "start": "2023-01-01", "planned_end": "2023-12-31",
        "aliases": ["新厂房"],
    }
    assert graph.nodes["Parcel:L"]["area_mu"] == 12.5
    assert graph.nodes["Project:S"]["set_size"] == 1 and isinstance(graph.nodes["Project:S"]["set_size"], int)
    assert graph.edges["Project:D", "Project:E", "DEPENDS_ON"] == {"type": "DEPENDS_ON", "inferred": True}
    assert set(graph["Project:B"]["Parcel:L"]) == {"DEPENDS_ON"}
    assert graph.graph["engine"] == backend.name


def test_stated_only_drops_inferred_relationships_but_keeps_nodes(backend):
    backend.upsert(buildout_batch())
    strict = to_networkx(backend, stated_only=True)
    assert strict.number_of_nodes() == 15
    assert strict.number_of_edges() == 13
    assert not strict.has_edge("Project:D", "Project:E")


def test_a_query_selects_an_induced_subgraph(backend):
    backend.upsert(buildout_batch())
    sub = to_networkx(
        backend,
        "MATCH p = (d:Project {id: $id})-[:DEPENDS_ON*1..2]->(x) RETURN p",
        {"id": "D"},
    )
    # paths D→C, D→C→B, D→E select D, C, B, E; every relationship among them comes along
    assert sorted(sub.nodes) == ["Project:B", "Project:C", "Project:D", "Project:E"]
    assert sorted(sub.edges(keys=True)) == [
        ("Project:C", "Project:B", "DEPENDS_ON"),
        ("Project:D", "Project:C", "DEPENDS_ON"),
        ("Project:D", "Project:E", "DEPENDS_ON"),
    ]
    nodes_and_lists = to_networkx(
        backend, "MATCH (g:Goal) WITH collect(g) AS goals MATCH (s {id: 'S'}) RETURN goals, s")
    assert sorted(nodes_and_lists.nodes) == ["Goal:G1", "Goal:G2", "Goal:G3", "Goal:G4", "Goal:G5", "Project:S"]
    assert sorted(nodes_and_lists.edges(keys=True)) == [("Project:S", "Goal:G2", "CONTRIBUTES_TO")]
