"""The reports that start from an area, a project, a counted set, a goal or the policy tree
(issue 12), on the 东城 sample, on FalkorDB and on Neo4j, with their real answers; and
--with-sources. The expected values are read off data/dongcheng (see its README)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from conftest import BACKEND_PARAMS
from portfolio_graph.cli import main
from portfolio_graph.reports import ParameterError, get_report, run_report
from portfolio_graph.sample import load_sample


@pytest.fixture(scope="module", params=BACKEND_PARAMS)
def sample(request):
    backend = request.getfixturevalue(f"_{request.param}_backend")
    load_sample(backend, replace=True)  # the session graph belongs to the tests
    return backend


def run(backend, name, **params):
    return run_report(backend, get_report(name), params).rows


def pick(rows, *columns):
    return [tuple(row[c] for c in columns) for row in rows]


def test_area_profile_of_huangqinan(sample):
    rows = run(sample, "area-profile", area="黄旗南片区")
    assert pick(rows, "section", "item", "detail", "inferred") == [
        ("项目", "黄旗南片区绿轴建设", "前期", False),
        ("项目", "黄旗南片区存量产业空间统筹规划", "谋划", False),
        ("项目", "黄旗南片区新建停车场5个", "谋划", False),
        ("地块", "黄旗南片区存量产业空间", "更新", False),
        ("覆盖", "提速建设黄旗南片区", None, False),
        ("覆盖", "强化品质交通建设", None, False),
        ("覆盖", "镇村联动拓空间", None, False),
        ("目标", "黄旗南片区新建停车场5个", "黄旗南片区新建停车场数", False),
        ("目标", "新增停车位近3000个", "黄旗南片区新增停车位数", False),
    ]
    assert rows[1]["sources"] == ["二(一)一 「对总规模达87.82公顷的黄旗南片区存量产业空间进行统筹规划」"]


def test_what_the_core_area_waits_on(sample):
    strict = run(sample, "area-profile", area="黄旗南核心区")
    assert pick([r for r in strict if r["section"] == "依赖"], "item", "path") == [
        ("八一路、旗同大街沿线部分旧厂、旧村拆除或微改造", ["黄旗南核心区", "八一路、旗同大街沿线部分旧厂、旧村拆除或微改造"]),
    ]
    lenient = run(sample, "area-profile", area="黄旗南核心区", lenient=True)
    assert pick([r for r in lenient if r["section"] == "依赖"], "item", "kind", "inferred") == [
        ("八一路、旗同大街沿线部分旧厂、旧村拆除或微改造", "项目", False),
        ("黄旗南片区存量产业空间统筹规划", "项目", True),
        ("黄旗南片区存量产业空间", "地块", True),
    ]


def test_a_community_takes_part_in_the_programme(sample):
    rows = run(sample, "area-profile", area="立新")
    assert pick(rows, "section", "item", "kind") == [
        ("参与", "黄旗南片区存量产业空间统筹规划", "项目"),
        ("参与", "镇村联动拓空间", "举措"),
    ]


def test_project_profile_of_shengyi(sample):
    strict = run(sample, "project-profile", project="生益电子四期")
    assert pick(strict, "section", "item", "level", "planned_end") == [
        ("项目", "生益电子四期", "市重大", "2023-12-31"),
        ("集合", "10个市级重大工业项目", None, None),
        ("目标", "10个市级重大工业项目年内投产", None, None),
        ("目标", "10个市级重大工业项目年内投产", None, None),
    ]
    lenient = run(sample, "project-profile", project="P-shengyi-4", lenient=True)
    assert [(r["item"], r["inferred"]) for r in lenient if r["section"] == "运营"] == [("生益电子", True)]
    assert [r["item"] for r in lenient if r["section"] == "产业链"] == ["电子信息"]


def test_project_profile_shows_the_programmes_above_its_policy(sample):
    rows = run(sample, "project-profile", project="火炼树旧改")
    policies = [r for r in rows if r["section"] == "政策"]
    assert [r["path"] for r in policies] == [  # by the policy's id
        ["立足“新城市”发展方向", "建设宜居宜业新城市", "加快推进黄金双轴两侧项目建设", "火炼树旧改"],
        ["加快推进黄金双轴两侧项目建设", "火炼树旧改"],
        ["建设宜居宜业新城市", "加快推进黄金双轴两侧项目建设", "火炼树旧改"],
        ["2023年工作计划", "立足“新城市”发展方向", "建设宜居宜业新城市", "加快推进黄金双轴两侧项目建设", "火炼树旧改"],
    ]
    lenient = run(sample, "project-profile", project="火炼树旧改", lenient=True)
    assert [r["item"] for r in lenient if r["section"] == "依赖"] == ["火炼树商住类更新单元项目"]


def test_set_members_sizes_named_and_unnamed(sample):
    rows = {r["set_id"]: r for r in run(sample, "set-members")}
    ten = rows["PS-major-industrial-10"]
    assert (ten["set_size"], ten["named"], ten["unnamed"], ten["operators"]) == (10, 5, 5, [])
    assert ten["members"] == ["中麒光电混装MiniLED", "深圳凯特生物", "炬光科技", "生益电子四期", "鸿铭机械"]
    assert (rows["PC-scattered-6"]["kind"], rows["PC-scattered-6"]["unnamed"]) == ("地块集合", 3)
    assert rows["PS-expansion-44.7yi"]["set_size"] is None and rows["PS-expansion-44.7yi"]["unnamed"] is None
    assert len(rows) == 18
    lenient = run(sample, "set-members", set="10个市级重大工业项目", lenient=True)
    assert lenient[0]["operators"] == ["中麒光电混装MiniLED: 中麒光电", "深圳凯特生物: 深圳凯特生物", "炬光科技: 炬光科技",
                                       "生益电子四期: 生益电子", "鸿铭机械: 鸿铭"]


def test_goal_coverage_lists_industries_without_members_first(sample):
    rows = run(sample, "goal-coverage")
    assert pick(rows[:3], "goal_id", "gap_chains", "support") == [
        ("G-2025-electronics-output", ["电子信息"], "产业链无成员"),
        ("G-2025-equipment-output", ["装备制造"], "产业链无成员"),
        ("G-2025-food-output", ["食品"], "产业链无成员"),
    ]
    assert len(rows) == 23 and all(r["gap_chains"] == [] for r in rows[3:])
    storage = next(r for r in rows if r["goal_id"] == "G-2025-storage-output")
    assert (storage["chains"], storage["enterprises"], storage["support"]) == (
        ["储能电池"], ["凯格精机", "博力威电池", "立迪科技", "鸿宝锂电"], "有企业")
    lenient = run(sample, "goal-coverage", lenient=True)
    electronics = next(r for r in lenient if r["goal_id"] == "G-2025-electronics-output")
    assert electronics["gap_chains"] == [] and electronics["project_count"] == 6


def test_policy_tree_nests_as_the_report_numbers(sample):
    rows = run(sample, "policy-tree", root="育产增能战略")
    assert pick(rows, "depth", "policy", "kind") == [
        (0, "育产增能战略", "战略"),
        (1, "整合新能源产业链上下游资源", "举措"),
        (1, "新能源储能项目补助", "政策"),
    ]
    assert rows[0]["supports"] == ["储能电池"] and rows[1]["participants"] == ["凯格精机", "博力威电池", "立迪科技", "鸿宝锂电"]
    strategies = run(sample, "policy-tree", kind="战略")
    assert all(r["path"][0] == "2023年工作计划" for r in strategies if r["section"].startswith("二"))
    chip = next(r for r in run(sample, "policy-tree") if r["policy_id"] == "POL-chip-cluster")
    assert chip["path"] == ["2023年工作计划", "新兴产业拓展战略", "战略性新兴产业集聚拓展战略", "打造东莞市芯片封装检测战略性新兴产业"]


def test_impact_and_blockers_start_from_areas_chains_and_goals(sample):
    waits = run(sample, "project-blockers", project="黄旗南核心区")
    assert pick(waits, "project", "blocker", "state") == [("黄旗南核心区", "八一路、旗同大街沿线部分旧厂、旧村拆除或微改造", "谋划")]
    goal = run(sample, "project-blockers", project="10个市级重大工业项目年内投产")
    assert pick(goal, "blocker", "kind") == [("10个市级重大工业项目", "项目")]
    chain = run(sample, "impact", of="芯片封装检测")
    assert pick(chain, "kind", "affected", "via") == []  # nothing depends on the chain; it is accepted
    area = run(sample, "impact", of="黄旗南片区")
    assert ("项目", "黄旗南片区绿轴建设", "LOCATED_IN") in pick(area, "kind", "affected", "via")


def test_a_label_that_cannot_depend_says_which_can(sample):
    with pytest.raises(ParameterError, match="it names an Enterprise, which 'project' cannot name "
                                             r"\(it takes Project, Area, Chain, Goal, Parcel\)"):
        run(sample, "project-blockers", project="利扬芯片")
    with pytest.raises(ParameterError, match="parameter 'label': 'Enterprise' is not one of"):
        run(sample, "impact", of="利扬芯片", label="Enterprise")


def test_with_sources_from_python_and_the_command_line(sample, request):
    rows = run_report(sample, get_report("impact"), {"of": "生益电子四期"}, with_sources=True).rows
    assert rows[0]["affected_id"] == "PS-major-industrial-10"
    assert rows[0]["sources"] == ["PS-major-industrial-10: 二(四)一 「全面推进生益电子四期、炬光科技、鸿铭机械、深圳凯特生物、"
                                  "中麒光电混装MiniLED等10个市级重大工业项目年内投产」"]
    from portfolio_graph import report
    from portfolio_graph.portfolio import Portfolio

    frame = report("set-members", portfolio=Portfolio(sample), set="6宗零散地块", with_sources=True)
    assert frame.loc[0, "sources"] == ["二(一)一 「全力推动温塘、牛山、梨川大王洲等6宗零散地块作为政府储备土地」"]
    location = (["--db", str(request.getfixturevalue("falkordb_path"))] if sample.name == "falkordb"
                else ["--uri", request.getfixturevalue("neo4j_server").uri])
    out = CliRunner().invoke(main, [*location, "report", "run", "goal-coverage", "-p", "year=2025", "--with-sources",
                                    "--format", "json"], catch_exceptions=False)
    assert out.exit_code == 0, out.output
    first = json.loads(out.output)[0]
    assert first["goal_id"] == "G-2025-electronics-output"
    assert first["sources"] == ["G-2025-electronics-output: 二(二)二 「在2025年东城电子信息和装备制造两大支柱产业的工业总产值分别突破300亿元」"]


def test_a_loaded_fact_is_cited_by_file_sheet_and_row():
    from portfolio_graph.reports.sources import cite

    assert cite({"source_file": "2023年重点项目清单.xlsx", "source_sheet": "重点项目", "source_row": 7}) == \
        "2023年重点项目清单.xlsx 重点项目 第7行"
    assert cite({"source_file": "企业名录.csv", "source_row": 3}) == "企业名录.csv 第3行"
    assert cite({"section": "二(一)一", "quote": "盘点闲置地台账", "source_file": "x.csv"}) == "二(一)一 「盘点闲置地台账」"
    assert cite({}) is None
