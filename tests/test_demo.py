"""The demo on both backends: the sample goes in and the headline answers are the report's."""

from __future__ import annotations

from click.testing import CliRunner

from portfolio_graph.cli import main
from portfolio_graph.demo import run_demo
from portfolio_graph.portfolio import Portfolio
from portfolio_graph.sample import sample_dir


def goals_without_a_stated_contributor() -> list[str]:
    """Worked out from the CSVs, independently of the Cypher: goals (not bare 2022 indicators)
    that no stated CONTRIBUTES_TO row reaches."""
    import csv

    folder = sample_dir()
    with open(folder / "nodes" / "Goal.csv", encoding="utf-8") as handle:
        goals = [row for row in csv.DictReader(handle)
                 if row["target_value"] or row["comparator"] or not row["actual_value"]]
    with open(folder / "rels" / "CONTRIBUTES_TO.csv", encoding="utf-8") as handle:
        stated = {row["to_id"] for row in csv.DictReader(handle) if row["inferred"] != "true"}
    return sorted(goal["name"] for goal in goals if goal["id"] not in stated)


def test_run_demo_shows_the_chip_chain_its_anchor_and_its_gaps(backend):
    result = run_demo(Portfolio(backend))
    assert result.stats["labels"]["Project"] == 101 and result.stats["labels"]["Goal"] == 80
    chains, goals, unsupported = result.sections[:3]
    lights, goal_lights = result.sections[-2:]
    chip = [row for row in chains.rows if row["chain"] == "芯片封装检测"]
    assert [row["segment"] for row in chip] == ["芯片设计", "芯片软件", "封装技术", "芯片检测", "相关装备生产"]
    assert {tuple(row["anchor"]) for row in chip} == {("利扬芯片",)}
    assert [row["segment"] for row in chip if row["status"] == "补链"] == ["芯片设计", "芯片软件", "封装技术", "相关装备生产"]
    testing = next(row for row in chip if row["segment"] == "芯片检测")
    assert (testing["enterprises"], testing["stated_count"], testing["lenient_count"]) == (["利扬芯片"], 0, 1)
    assert all(row["risk"] != "无支撑" for row in goals.rows)
    assert sorted(row["goal"] for row in unsupported.rows) == goals_without_a_stated_contributor()
    # The synthetic schedule: the month's red and yellow projects, each with its reason, and the
    # goals their lights put at risk.
    assert lights.rows and {row["light"] for row in lights.rows} == {"红", "黄"}
    assert all("序时进度" in row["reason"] or "开工" in row["reason"] for row in lights.rows)
    assert goal_lights.rows and all(row["risk"] in ("高", "中") and row["at_risk_projects"] for row in goal_lights.rows)


def test_demo_command_prints_the_tables(backend_location):
    _, location = backend_location
    result = CliRunner().invoke(main, [*location, "demo"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Loaded 101 Project" in result.output
    assert "芯片封装检测" in result.output and "利扬芯片" in result.output and "补链" in result.output
    assert "Goals and what contributes to each" in result.output
    assert "Projects behind schedule, 2023-05" in result.output and "落后序时进度" in result.output


def test_demo_shows_an_area_profile_and_the_goal_coverage(backend_location):
    backend, location = backend_location
    result = run_demo(Portfolio(backend))
    area = next(s for s in result.sections if s.report == "area-profile")
    assert [r["item"] for r in area.rows if r["section"] == "覆盖"] == ["提速建设黄旗南片区", "强化品质交通建设", "镇村联动拓空间"]
    coverage = next(s for s in result.sections if s.report == "goal-coverage")
    assert [(r["goal"], r["support"]) for r in coverage.rows[:3]] == [
        ("2025年电子信息工业总产值突破300亿元", "产业链无成员"), ("2025年装备制造工业总产值突破300亿元", "产业链无成员"),
        ("2025年食品工业总产值突破100亿元", "产业链无成员")]
    printed = CliRunner().invoke(main, [*location, "demo"], catch_exceptions=False)
    assert printed.exit_code == 0, printed.output
    assert "Area profile: 黄旗南片区" in printed.output and "What supports each goal" in printed.output
