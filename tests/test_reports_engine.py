"""Reports on small hand-made graphs, on both engines: what the sample portfolio cannot show
(cycles, schema violations, ambiguous names) and the read-only guarantee."""

from __future__ import annotations

import pytest

from portfolio_graph.graph import GraphBatch, ReadOnlyViolation, RelRow
from portfolio_graph.reports import ParameterError, get_report, run_report
from portfolio_graph.reports.spec import parse_report_text


def run(backend, name, **params):
    return run_report(backend, get_report(name), params).rows


def test_integrity_finds_cycles_schema_violations_and_unnamed_nodes(backend):
    batch = GraphBatch()
    for key, status in (("P-a", "在建"), ("P-b", "受阻"), ("P-c", "延期"), ("P-d", "完成")):
        batch.add_node("Project", {"id": key, "name": f"项目{key[-1]}", "status": status})
    batch.add_rel("DEPENDS_ON", RelRow("Project", "P-b", "Project", "P-c"))
    batch.add_rel("DEPENDS_ON", RelRow("Project", "P-c", "Project", "P-a"))
    batch.add_rel("DEPENDS_ON", RelRow("Project", "P-a", "Project", "P-b"))
    batch.add_rel("DEPENDS_ON", RelRow("Project", "P-d", "Project", "P-a", {"inferred": True}))
    batch.add_rel("DEPENDS_ON", RelRow("Project", "P-a", "Project", "P-d", {"inferred": True}))
    batch.add_node("Goal", {"id": "G-1", "name": "目标", "metric": "m"})
    batch.add_rel("CONTRIBUTES_TO", RelRow("Project", "P-d", "Goal", "G-1"))
    backend.upsert(batch)
    backend.write("MATCH (g:Goal {id: 'G-1'}), (p:Project {id: 'P-a'}) CREATE (g)-[:USES_PARCEL]->(p)")
    backend.write("CREATE (:Thing {id: 'T-1', name: '怪东西'})")
    backend.write("CREATE (:Enterprise {id: 'E-nameless'})")

    rows = run(backend, "integrity", detail=True, endpoints=True)
    assert [(r["check"], r["label"], r["id"], r["detail"]) for r in rows] == [
        ("endpoint", "USES_PARCEL", "G-1 -> P-a", "Goal -[USES_PARCEL]-> Project is not allowed by the schema"),
        ("unknown_label", "Thing", "T-1", "labels not in the schema: Thing"),
        ("unnamed", "Enterprise", "E-nameless", "no name"),
        ("cycle", "Project", "P-a", "项目a > 项目b > 项目c > 项目a"),
        ("project_without_goal", "Project", "P-a", "contributes to no goal; status 在建"),
        ("project_without_goal", "Project", "P-b", "contributes to no goal; status 受阻"),
        ("project_without_goal", "Project", "P-c", "contributes to no goal; status 延期"),
        ("enterprise_without_chain", "Enterprise", "E-nameless", "in no chain or segment"),
    ]
    # The endpoint check reads every relationship: it runs only when asked for.
    assert [r for r in run(backend, "integrity", detail=True) if r["check"] == "endpoint"] == []
    assert [r["id"] for r in run(backend, "integrity", check="endpoint")] == ["G-1 -> P-a"]
    summary = run(backend, "integrity")
    assert [(r["check"], r["label"], r["count"]) for r in summary] == [
        ("endpoint", None, None), ("unknown_label", "Thing", 1), ("unnamed", "Enterprise", 1), ("cycle", "Project", 1),
        ("project_without_goal", "Project", 3), ("enterprise_without_chain", "Enterprise", 1),
    ]
    assert summary[0]["detail"].startswith("not checked")
    checked = run(backend, "integrity", endpoints=True)
    assert [(r["check"], r["label"], r["count"]) for r in checked][:2] == [("endpoint", "USES_PARCEL", 1), ("unknown_label", "Thing", 1)]
    lenient = run(backend, "integrity", lenient=True)
    assert [(r["check"], r["count"]) for r in lenient][-2:] == [("project_without_goal", 3), ("enterprise_without_chain", 1)]
    lenient_cycles = run(backend, "integrity", check="cycle", lenient=True)
    assert [r["detail"] for r in lenient_cycles] == ["项目a > 项目b > 项目c > 项目a", "项目a > 项目d > 项目a"]


def test_blockers_follow_dependencies_transitively_with_their_phase(backend):
    batch = GraphBatch()
    for key, status in (("P-1", "在建"), ("P-2", "受阻"), ("P-3", "延期"), ("P-4", "完成")):
        batch.add_node("Project", {"id": key, "name": f"项目{key[-1]}", "status": status, "aliases": [f"别名{key[-1]}"]})
    batch.add_node("Parcel", {"id": "L-1", "name": "地块一", "land_status": "收储"})
    batch.add_node("Policy", {"id": "POL-1", "name": "政策一"})
    batch.add_rel("DEPENDS_ON", RelRow("Project", "P-1", "Project", "P-2"))
    batch.add_rel("DEPENDS_ON", RelRow("Project", "P-2", "Project", "P-3"))
    batch.add_rel("DEPENDS_ON", RelRow("Project", "P-3", "Project", "P-4"))
    batch.add_rel("USES_PARCEL", RelRow("Project", "P-3", "Parcel", "L-1"))
    batch.add_rel("DEPENDS_ON", RelRow("Project", "P-2", "Policy", "POL-1"))
    backend.upsert(batch)
    rows = run(backend, "project-blockers", project="别名1")
    assert [(r["depth"], r["kind"], r["blocker"], r["state"], r["path"]) for r in rows] == [
        (1, "项目", "项目2", "受阻", ["项目1", "项目2"]),
        (2, "政策", "政策一", None, ["项目1", "项目2", "政策一"]),
        (2, "项目", "项目3", "延期", ["项目1", "项目2", "项目3"]),
        (3, "地块", "地块一", "收储", ["项目1", "项目2", "项目3", "地块一"]),
    ]
    assert len(run(backend, "project-blockers", project="P-1", max_depth=2)) == 3
    assert [r["blocker"] for r in run(backend, "project-blockers", project="P-1", include_done=True)][-1] == "项目4"
    impact = run(backend, "impact", of="地块一")
    assert [(r["depth"], r["affected"]) for r in impact] == [(1, "项目3"), (2, "项目2"), (3, "项目1")]


def test_goals_at_risk_counts_blocked_and_delayed_projects(backend):
    batch = GraphBatch()
    batch.add_node("Goal", {"id": "G-1", "name": "2025年目标", "metric": "m", "year": 2025, "target_value": 10.0})
    batch.add_node("Goal", {"id": "G-2", "name": "无人支撑的目标", "metric": "m", "year": 2025, "target_value": 1.0})
    for key, status in (("P-1", "受阻"), ("P-2", "延期"), ("P-3", "在建"), ("P-4", "完成")):
        batch.add_node("Project", {"id": key, "name": f"项目{key[-1]}", "status": status})
        batch.add_rel("CONTRIBUTES_TO", RelRow("Project", key, "Goal", "G-1"))
    backend.upsert(batch)
    rows = run(backend, "goals-at-risk", year=2025)
    assert [(r["goal_id"], r["blocked"], r["delayed"], r["in_progress"], r["done"], r["at_risk_pct"], r["risk"])
            for r in rows] == [("G-2", 0, 0, 0, 0, None, "无支撑"), ("G-1", 1, 1, 1, 1, 50, "高")]
    assert [r["at_risk_projects"] for r in rows] == [[], ["项目1", "项目2"]]


def test_names_ids_and_aliases_resolve_and_ambiguity_is_an_error(backend):
    batch = GraphBatch()
    batch.add_node("Project", {"id": "P-1", "name": "同名"})
    batch.add_node("Parcel", {"id": "L-1", "name": "同名"})
    batch.add_node("Parcel", {"id": "同名地块", "name": "另一块地"})
    batch.add_node("Parcel", {"id": "L-3", "name": "同名地块"})
    backend.upsert(batch)
    with pytest.raises(ParameterError, match=r"'同名' names more than one thing: Parcel L-1 \(同名\); Project P-1 \(同名\); give an id"):
        run(backend, "impact", of="同名")
    assert run(backend, "impact", of="同名", label="Parcel") == []
    spec = get_report("impact")
    assert run_report(backend, spec, {"of": "同名", "label": "Project"}).resolved == {"of": "P-1"}
    assert run_report(backend, spec, {"of": "同名地块"}).resolved == {"of": "同名地块"}  # an id wins over a name


def test_reports_run_read_only(backend):
    spec = parse_report_text(
        "// name: writer\n// title: 写 / Writer\n// description: Writes.\n// columns:\n//   n: n\n"
        "CREATE (p:Project {id: 'P-x', name: 'x'}) RETURN 1 AS n\n"
    )
    with pytest.raises(ReadOnlyViolation):
        run_report(backend, spec, {})
    assert backend.read("MATCH (n) RETURN count(n) AS n") == [{"n": 0}]


def test_a_per_engine_variant_runs_on_its_engine(backend):
    spec = parse_report_text(
        "// name: which\n// title: 引擎 / Which engine\n// description: Per-engine text.\n// columns:\n//   engine: e\n"
        "// --- variant: falkordb\nRETURN 'falkordb' AS engine\n// --- variant: neo4j\nRETURN 'neo4j' AS engine\n"
    )
    assert run_report(backend, spec, {}).rows == [{"engine": backend.name}]
