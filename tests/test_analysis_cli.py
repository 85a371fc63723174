"""``portfolio-graph analyze …`` through click's CliRunner, on both engines."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from portfolio_graph.sample import load_sample
from test_analysis_graphs import buildout_batch, cycle_batch
from support.cli import run


def test_delay_on_the_sample_names_the_goals_at_risk(backend_location, tmp_path):
    backend, location = backend_location
    load_sample(backend)
    result = run(["analyze", "delay", "生益电子四期", "--months", "6"], location, env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    for expected in ("延误推演: 生益电子四期 推迟 6 个月", "10个市级重大工业项目", "2024-06-30",
                     "10个市级重大工业项目年内投产", "重大项目有效投资同比增长15%以上",
                     "2025年电子信息工业总产值突破300亿元", "3 goal(s) at risk."):
        assert expected in result.output, expected

    as_json = json.loads(run(["analyze", "delay", "P-shengyi-4", "--months", "6", "--format", "json"], location).output)
    # the commissioning goal DEPENDS_ON the set, so it slips with it
    assert [row["name"] for row in as_json["slips"]] == ["生益电子四期", "10个市级重大工业项目", "10个市级重大工业项目年内投产"]
    assert [row["slip_months"] for row in as_json["slips"]] == [6, 6, 6]
    assert [(g["goal"], g["year"], g["past_goal_year"]) for g in as_json["goals"]] == [
        ("10个市级重大工业项目年内投产", 2023, True),
        ("重大项目有效投资同比增长15%以上", 2023, True),
        ("2025年电子信息工业总产值突破300亿元", 2025, False),
    ]
    strict = json.loads(run(["analyze", "delay", "生益电子四期", "--months", "6", "--stated-only", "--format", "json"],
                            location).output)
    assert [g["goal"] for g in strict["goals"]] == ["10个市级重大工业项目年内投产"]

    goals_csv = run(["analyze", "delay", "生益电子四期", "--months", "6", "--format", "csv", "--view", "goals"], location)
    assert goals_csv.output.splitlines()[0] == "\ufeffgoal,metric,target,year,max_slip_months,past_goal_year,via"

    # the other commands on the same data
    health = json.loads(run(["analyze", "health", "--format", "json"], location).output)
    checks = {row["check"]: row["count"] for row in health["checks"]}
    assert checks["dependency_cycles"] == 0 and checks["dependency_projects_missing_duration"] == 11
    chains = json.loads(run(["analyze", "chain-metrics", "--chain", "芯片封装检测", "--format", "json"], location).output)
    assert chains["chains"][0]["gaps"] == ["芯片设计", "芯片软件", "封装技术", "相关装备生产"]
    path = json.loads(run(["analyze", "critical-path", "--format", "json"], location).output)
    assert [row["id"] for row in path["path"]] == ["P-huangqinan-stock-plan", "P-bayi-qitong-renewal", "A-huangqinan-core"]
    assert len(path["assumptions"]) == 13

    out = tmp_path / "chip.graphml"
    exported = run(["analyze", "export", "-o", str(out), "--query",
                    "MATCH (s:ChainSegment)-[:PART_OF]->(c:Chain {name: $chain}) RETURN c, s", "-p", "chain=芯片封装检测"],
                   location)
    assert exported.exit_code == 0, exported.output
    assert "wrote 6 nodes and 9 relationships" in exported.output
    graph = nx.read_graphml(out)
    assert graph.nodes["Chain:C-chip-packaging-testing"]["label"] == "芯片封装检测"
    assert graph.nodes["Chain:C-chip-packaging-testing"]["schema_label"] == "Chain"


def test_critical_path_and_cycles_commands(backend_location):
    backend, location = backend_location
    backend.upsert(buildout_batch())
    result = run(["analyze", "critical-path", "--assume-months", "2", "--format", "md"], location)
    assert result.exit_code == 0, result.output
    assert "关键路径 23 个月: 土地整备 → 厂房建设 → 设备安装 → 投产" in result.output
    assert "| 投产 | D | 2 | no duration_months, start or planned_end; assumed 2 months | true |" in result.output
    cycles = run(["analyze", "cycles"], location)
    assert "DEPENDS_ON 没有循环依赖 (no cycles)." in cycles.output

    backend.clear()
    backend.upsert(cycle_batch())
    cycles = json.loads(run(["analyze", "cycles", "--format", "json"], location).output)
    assert [row["path"] for row in cycles["cycles"]] == ["甲 → 乙 → 丙 → 甲"]
    refused = run(["analyze", "critical-path"], location)
    assert refused.exit_code == 2
    assert "甲 → 乙 → 丙 → 甲" in refused.output


def test_bad_input_exits_2_with_a_clear_message(backend_location, tmp_path):
    backend, location = backend_location
    backend.upsert(buildout_batch())
    unknown = run(["analyze", "delay", "厂房", "--months", "3"], location)
    assert unknown.exit_code == 2
    assert "did you mean: 厂房建设 (B)" in unknown.output
    assert run(["analyze", "delay", "A", "--months", "0"], location).exit_code == 2
    assert run(["analyze", "export", "-o", str(tmp_path / "x.gexf")], location).exit_code == 2


def test_export_whole_graph_as_json(backend_location, tmp_path):
    backend, location = backend_location
    backend.upsert(buildout_batch())
    out = tmp_path / "graph.json"
    result = run(["analyze", "export", "--format", "json", "-o", str(out)], location)
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["nodes"]) == 15 and len(data["edges"]) == 14
    b = next(n for n in data["nodes"] if n["id"] == "Project:B")
    assert (b["node_id"], b["name"], b["aliases"]) == ("B", "厂房建设", ["新厂房"])
    assert {"source": "Project:D", "target": "Project:E", "key": "DEPENDS_ON", "type": "DEPENDS_ON",
            "inferred": True} in data["edges"]
    back = nx.node_link_graph(data, edges="edges")
    assert back.is_multigraph() and back.number_of_edges() == 14


@pytest.mark.parametrize("fmt", ["json", "graphml"])
def test_an_export_keeps_file_names_but_not_the_folders_they_were_loaded_from(backend_location, tmp_path, fmt):
    backend, location = backend_location
    folder = tmp_path / "home" / "steward-zhang" / "私人文件夹"
    folder.mkdir(parents=True)
    (folder / "projects.csv").write_text("id,name\nP-1,项目一\n", encoding="utf-8")
    assert run(["load", str(folder / "projects.csv"), "--label", "Project"], location).exit_code == 0
    out = tmp_path / f"graph.{fmt}"
    assert run(["analyze", "export", "--format", fmt, "-o", str(out)], location).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "projects.csv" in text
    assert "steward-zhang" not in text and str(tmp_path) not in text
