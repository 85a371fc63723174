"""Every report on the 东城 sample portfolio, on FalkorDB and on Neo4j, with its real answer.

The expected values are read off data/dongcheng (see its README): e.g. the 芯片封装检测 chain has
five segments whose only enterprise link, 利扬芯片 → 芯片检测, is an inference.
"""

from __future__ import annotations

import pytest

from conftest import BACKEND_PARAMS, BACKENDS
from portfolio_graph.reports import ParameterError, get_report, run_report
from portfolio_graph.sample import load_sample, load_schedule_sample
from support.sample import ensure_sample


@pytest.fixture(scope="module", params=BACKEND_PARAMS)
def sample(request):
    """The sample portfolio in one engine; loaded once per engine for this module."""
    return ensure_sample(request.param, request.getfixturevalue(f"_{request.param}_backend"))


@pytest.fixture(scope="module")
def both(request):
    backends = {name: request.getfixturevalue(f"_{name}_backend") for name in BACKENDS}
    for backend in backends.values():
        load_sample(backend, replace=True)  # the session graphs belong to the tests
        load_schedule_sample(backend)  # the synthetic 2023 plan and monthly reports, for the schedule reports
    return backends


def run(backend, name, **params):
    return run_report(backend, get_report(name), params).rows


def pick(rows, *columns):
    return [tuple(row[c] for c in columns) for row in rows]


# -- the two engines agree --------------------------------------------------------------------

PARAM_SETS = {
    "chain-completeness": [{}, {"lenient": True}, {"chain": "芯片封装检测", "status": "补链"}],
    "chain-members": [{}, {"lenient": True}, {"detail": True}, {"lenient": True, "detail": True}],
    "project-blockers": [{}, {"lenient": True, "include_done": True}, {"detail": True},
                         {"lenient": True, "include_done": True, "detail": True}],
    "impact": [{"of": "立新九头村城市更新项目用地"}, {"of": "战新产业项目支持", "lenient": True},
               {"of": "F-huiqi-38", "lenient": True}, {"of": "火炼树商住类更新单元项目", "lenient": True}],
    "goals-at-risk": [{}, {"lenient": True}, {"include_indicators": True}, {"as_of": "2023-05", "lenient": True},
                      {"as_of": "2023-04", "at_risk_only": True, "lenient": True}],
    "schedule": [{"as_of": "2023-05"}, {"as_of": "2023-05", "lenient": True, "by": "all"},
                 {"as_of": "2023-04", "profile": "sanya-2022"}, {"as_of": "2023-03", "level": "市重大"},
                 {"as_of": "2023-05", "chain": "芯片封装检测", "lenient": True}],
    "trend": [{"project": "火炼树旧改"}, {"goal": "G-2025-electronics-output", "lenient": True}],
    "goal-tracker": [{}, {"lenient": True}],
    "parcel-status": [{}, {"lenient": True}],
    "policy-coverage": [{}, {"lenient": True, "include_done": True}, {"detail": True},
                        {"lenient": True, "include_done": True, "detail": True}, {"policy": "POL-food-industry"}],
    "investment-rollup": [{}, {"lenient": True}],
    "integrity": [{}, {"lenient": True}, {"detail": True}, {"lenient": True, "detail": True},
                  {"endpoints": True}, {"detail": True, "endpoints": True}],
    "area-profile": [{"area": "黄旗南片区"}, {"area": "黄旗南核心区", "lenient": True}, {"area": "立新", "lenient": True}],
    "project-profile": [{"project": "生益电子四期", "lenient": True}, {"project": "火炼树旧改"},
                        {"project": "10个市级重大工业项目", "lenient": True}],
    "set-members": [{}, {"lenient": True}, {"set": "6宗零散地块"}],
    "goal-coverage": [{}, {"lenient": True}, {"year": 2025}],
    "policy-tree": [{}, {"lenient": True}, {"root": "新兴产业拓展战略"}, {"kind": "战略", "lenient": True}],
    # Needs templates applied, an external list and a match: tests/chains/test_chain_reports_engines.py
    # compares it (and the template view) on both engines.
    "gap-candidates": [],
}


def test_every_built_in_report_has_parameter_sets_here():
    from portfolio_graph.reports import list_reports

    assert sorted(PARAM_SETS) == sorted(s.name for s in list_reports() if s.origin == "built-in")


@pytest.mark.parametrize("name, params", [(n, p) for n, sets in PARAM_SETS.items() for p in sets])
@pytest.mark.neo4j
def test_both_engines_return_identical_rows(both, name, params):
    falkordb = run(both["falkordb"], name, **params)
    neo4j = run(both["neo4j"], name, **params)
    assert falkordb == neo4j
    assert falkordb, f"{name} {params} returned no rows on the sample"


# -- 1. chain-completeness --------------------------------------------------------------------

CHIP_SEGMENTS = ["芯片设计", "芯片软件", "封装技术", "芯片检测", "相关装备生产"]


def test_schedule_focused_on_a_chain_lists_its_2023_projects(both):
    rows = run(both["falkordb"], "schedule", as_of="2023-05", chain="芯片封装检测", lenient=True)
    assert [r["project"] for r in rows if r["dimension"] == "project"] == ["利扬芯片监测项目"]


def test_chip_chain_strict_every_segment_is_a_gap(sample):
    rows = run(sample, "chain-completeness", chain="芯片封装检测")
    assert pick(rows, "position", "segment", "enterprises", "stated_count", "lenient_count", "status") == [
        (1, "芯片设计", [], 0, 0, "补链"),
        (2, "芯片软件", [], 0, 0, "补链"),
        (3, "封装技术", [], 0, 0, "补链"),
        (4, "芯片检测", [], 0, 1, "补链"),
        (5, "相关装备生产", [], 0, 0, "补链"),
    ]
    assert {(r["chain"], tuple(r["anchor"]), r["covered"], r["total"], r["coverage_pct"]) for r in rows} == {
        ("芯片封装检测", ("利扬芯片",), 0, 5, 0)
    }


def test_chip_chain_lenient_has_four_gaps_and_one_weak_segment(sample):
    rows = run(sample, "chain-completeness", chain="C-chip-packaging-testing", lenient=True)
    assert pick(rows, "segment", "enterprises", "enterprise_count", "status") == [
        ("芯片设计", [], 0, "补链"),
        ("芯片软件", [], 0, "补链"),
        ("封装技术", [], 0, "补链"),
        ("芯片检测", ["利扬芯片"], 1, "强链"),
        ("相关装备生产", [], 0, "补链"),
    ]
    assert {(r["covered"], r["total"], r["coverage_pct"]) for r in rows} == {(1, 5, 20)}
    gaps = run(sample, "chain-completeness", chain="芯片封装检测", lenient=True, status="补链")
    assert [r["segment"] for r in gaps] == ["芯片设计", "芯片软件", "封装技术", "相关装备生产"]


def test_the_chain_is_found_by_alias_too(sample):
    by_alias = run(sample, "chain-completeness", chain="芯片封装检测战略性新兴产业")
    assert [r["segment"] for r in by_alias] == CHIP_SEGMENTS


def test_energy_storage_segments_are_inferred_so_strict_sees_none(sample):
    strict = run(sample, "chain-completeness", chain="储能电池")
    assert pick(strict, "segment", "status", "total", "coverage_pct", "anchor") == [(None, "无环节", 0, None, [])]
    lenient = run(sample, "chain-completeness", chain="储能电池", lenient=True)
    assert pick(lenient, "position", "segment", "enterprises", "status", "covered", "total", "coverage_pct") == [
        (1, "电池设备制造", ["凯格精机"], "强链", 2, 3, 66.7),
        (2, "电池", ["博力威电池", "鸿宝锂电"], "已覆盖", 2, 3, 66.7),
        (3, "储能应用", [], "补链", 2, 3, 66.7),
    ]


def test_all_chains_strict(sample):
    rows = run(sample, "chain-completeness")
    assert pick(rows, "chain", "segment", "status") == [
        ("储能电池", None, "无环节"),
        ("孵化链条", "众创空间", "补链"),
        ("孵化链条", "科技企业孵化器", "补链"),
        ("孵化链条", "技企业加速器", "补链"),
        ("电子信息", None, "无环节"),
        *[("芯片封装检测", s, "补链") for s in CHIP_SEGMENTS],
        ("装备制造", None, "无环节"),
        ("食品", None, "无环节"),
    ]


def test_an_unknown_chain_is_a_parameter_error_with_a_hint(sample):
    with pytest.raises(ParameterError, match="parameter 'chain': no Chain has the id, name or alias '芯片'; similar: 芯片封装检测"):
        run(sample, "chain-completeness", chain="芯片")


# -- 2. chain-members -------------------------------------------------------------------------


def test_chip_chain_members(sample):
    strict = run(sample, "chain-members", chain="芯片封装检测", detail=True)
    assert pick(strict, "segment", "role", "member", "phase", "level", "operator", "inferred") == [
        (None, "链主", "利扬芯片", None, None, [], False),
        # The operator is read off the project's name, so only --lenient shows it.
        (None, "项目", "利扬芯片监测项目", "not_started", "省重点", [], False),
    ]
    lenient = run(sample, "chain-members", chain="芯片封装检测", lenient=True, detail=True)
    assert pick(lenient, "position", "segment", "stream", "role", "member", "inferred") == [
        (None, None, None, "链主", "利扬芯片", False),
        (None, None, None, "项目", "利扬芯片监测项目", False),
        (4, "芯片检测", "中游", "企业", "利扬芯片", True),
        (4, "芯片检测", "中游", "项目", "利扬芯片监测项目", True),
    ]


def test_energy_chain_members_by_upstream_and_downstream(sample):
    rows = run(sample, "chain-members", chain="储能电池", lenient=True, detail=True)
    # The text names all four as the chain's 上下游资源 (stated); their segments are inferred.
    assert pick(rows, "segment", "stream", "role", "member") == [
        (None, None, "企业", "凯格精机"),
        (None, None, "企业", "博力威电池"),
        (None, None, "企业", "立迪科技"),
        (None, None, "企业", "鸿宝锂电"),
        ("电池设备制造", "上游", "企业", "凯格精机"),
        ("电池", "中游", "企业", "博力威电池"),
        ("电池", "中游", "企业", "鸿宝锂电"),
    ]


def test_electronics_chain_projects_carry_status_and_phase(sample):
    rows = run(sample, "chain-members", chain="电子信息", lenient=True, detail=True)
    assert pick(rows, "member", "status", "phase", "operator") == [
        ("中麒光电混装MiniLED", "在建", "in_progress", ["中麒光电"]),
        ("光大彩怡广场PCB板项目", "洽谈", "not_started", []),
        ("津田电子", "签约", "not_started", []),
        ("热动电子", "推进", "in_progress", []),
        ("生益电子四期", "在建", "in_progress", ["生益电子"]),
    ]
    assert run(sample, "chain-members", chain="电子信息") == []  # every link into it is inferred
    assert run(sample, "chain-members", chain="电子信息", detail=True) == []


def test_chain_members_by_default_counts_members_per_segment_and_role(sample):
    rows = run(sample, "chain-members", chain="芯片封装检测", lenient=True)
    assert pick(rows, "position", "segment", "stream", "role", "member", "members", "investment_yi", "operator",
                "inferred") == [
        (None, None, None, "链主", None, 1, None, [], None),
        (None, None, None, "项目", None, 1, 0, [], None),
        (4, "芯片检测", "中游", "企业", None, 1, None, [], None),
        (4, "芯片检测", "中游", "项目", None, 1, 0, [], None),
    ]
    energy = run(sample, "chain-members", chain="储能电池", lenient=True)
    assert pick(energy, "segment", "stream", "role", "members") == [
        (None, None, "企业", 4), ("电池设备制造", "上游", "企业", 1), ("电池", "中游", "企业", 2),
    ]
    electronics = run(sample, "chain-members", chain="电子信息", lenient=True)
    assert pick(electronics, "segment", "role", "member", "members", "status", "phase") == [(None, "项目", None, 5, None, None)]
    # The counts add up to the detailed list, chain by chain.
    every = run(sample, "chain-members", lenient=True)
    detailed = run(sample, "chain-members", lenient=True, detail=True)
    assert sum(r["members"] for r in every) == len(detailed) and all(r["members"] == 1 for r in detailed)


# -- 3. project-blockers ----------------------------------------------------------------------


def test_blockers_of_every_project_strict(sample):
    rows = run(sample, "project-blockers", detail=True)
    assert {(r["blockers"], r["waiting"]) for r in rows} == {(1, 1)}
    assert pick(rows, "project", "kind", "blocker", "state", "path", "inferred") == [
        ("5宗城市更新项目(总用地面积398.07亩)", "地块", "5宗城市更新项目用地", "更新",
         ["5宗城市更新项目(总用地面积398.07亩)", "5宗城市更新项目用地"], False),
        ("东莞市实验中学原址改扩建项目", "地块", "东莞市实验中学原址改扩建项目用地", None,
         ["东莞市实验中学原址改扩建项目", "东莞市实验中学原址改扩建项目用地"], False),
        ("立新九头村城市更新项目", "地块", "立新九头村城市更新项目用地", "更新",
         ["立新九头村城市更新项目", "立新九头村城市更新项目用地"], False),
    ]


def test_blockers_of_the_whole_portfolio_are_counted_by_kind_and_state(sample):
    rows = run(sample, "project-blockers")
    assert pick(rows, "project", "blocker", "kind", "state", "blockers", "waiting") == [
        (None, None, "地块", "更新", 2, 2), (None, None, "地块", None, 1, 1),
    ]
    lenient = run(sample, "project-blockers", lenient=True, include_done=True)
    listed = run(sample, "project-blockers", lenient=True, include_done=True, detail=True)
    for row in lenient:
        same = [r for r in listed if (r["kind"], r["state"], r["done"]) == (row["kind"], row["state"], row["done"])]
        assert row["blockers"] == len({r["blocker_id"] for r in same}) and row["waiting"] == len({r["project"] for r in same})
    assert len(lenient) < len(listed)


def test_what_blocks_huolianshu(sample):
    assert run(sample, "project-blockers", project="火炼树旧改") == []
    rows = run(sample, "project-blockers", project="火炼树旧改", lenient=True)
    assert rows == [{
        "project": "火炼树旧改", "depth": 1, "kind": "项目", "blocker": "火炼树商住类更新单元项目",
        "blocker_id": "P-huolianshu-unit", "state": "前期", "done": False,
        "path": ["火炼树旧改", "火炼树商住类更新单元项目"], "inferred": True, "blockers": 1, "waiting": 1,
    }]


def test_done_dependencies_are_listed_only_on_request(sample):
    assert run(sample, "project-blockers", project="香遇走廊三期", lenient=True) == []
    rows = run(sample, "project-blockers", project="香遇走廊三期", lenient=True, include_done=True)
    assert pick(rows, "blocker", "state", "done") == [("黄旗山南麓香遇走廊二期工程", "完成", True)]
    parcel = run(sample, "project-blockers", project="P-xinyuanlu-tod-east", include_done=True)
    assert pick(parcel, "blocker", "state", "done") == [("新源路站TOD东侧综合开发项目用地", "已出让", True)]


# -- 4. impact --------------------------------------------------------------------------------


def test_what_depends_on_the_jiutou_parcel(sample):
    strict = run(sample, "impact", of="立新九头村城市更新项目用地")
    assert pick(strict, "depth", "kind", "affected", "via", "inferred") == [
        (1, "项目", "立新九头村城市更新项目", "DEPENDS_ON", False),
        (1, "项目", "立新九头村城市更新项目", "USES_PARCEL", False),
    ]
    lenient = run(sample, "impact", of="PC-jiutou-land", lenient=True)
    assert pick(lenient, "depth", "kind", "affected", "via", "path", "inferred") == [
        (1, "项目", "九头村综合更新单位", "USES_PARCEL", ["立新九头村城市更新项目用地", "九头村综合更新单位"], True),
        (1, "项目", "立新九头村城市更新项目", "DEPENDS_ON", ["立新九头村城市更新项目用地", "立新九头村城市更新项目"], False),
        (1, "项目", "立新九头村城市更新项目", "USES_PARCEL", ["立新九头村城市更新项目用地", "立新九头村城市更新项目"], False),
        (2, "目标", "“三旧”改造实际投资同比翻番", "CONTRIBUTES_TO",
         ["立新九头村城市更新项目用地", "九头村综合更新单位", "“三旧”改造实际投资同比翻番"], True),
    ]


def test_impact_of_a_policy_reaches_chains_and_goals(sample):
    rows = run(sample, "impact", of="战新产业项目支持", lenient=True)
    assert pick(rows, "depth", "kind", "affected", "via") == [
        (1, "项目", "不少于20个市级制造业重大项目", "SUPPORTS"),
        (1, "项目", "利扬芯片监测项目", "SUPPORTS"),
        (1, "产业链", "芯片封装检测", "SUPPORTS"),
        (2, "产业链", "芯片封装检测", "DEPENDS_ON"),  # the chain is built with the project as its 龙头
        (2, "产业链", "芯片封装检测", "IN_CHAIN"),
        (2, "环节", "芯片检测", "IN_CHAIN"),
        (2, "目标", "2025年电子信息工业总产值突破300亿元", "CONTRIBUTES_TO"),
        (2, "目标", "年内实施不少于20个市级制造业重大项目", "CONTRIBUTES_TO"),
        (2, "目标", "重大项目有效投资同比增长15%以上", "CONTRIBUTES_TO"),
        (3, "产业链", "芯片封装检测", "PART_OF"),
    ]
    assert run(sample, "impact", of="战新产业项目支持") == []  # all its SUPPORTS links are inferred


def test_impact_of_a_fund_and_of_a_project_set_member(sample):
    fund = run(sample, "impact", of="惠企38条奖补资金")
    assert pick(fund, "kind", "affected", "via", "year") == [("政策", "惠企38条", "FUNDS", 2023)]
    member = run(sample, "impact", of="生益电子四期")
    assert pick(member, "depth", "kind", "affected", "via") == [
        (1, "项目", "10个市级重大工业项目", "MEMBER_OF"),
        (1, "目标", "10个市级重大工业项目年内投产", "CONTRIBUTES_TO"),
        (2, "目标", "10个市级重大工业项目年内投产", "CONTRIBUTES_TO"),
    ]


def test_impact_label_narrows_and_unknown_names_fail(sample):
    with pytest.raises(ParameterError, match="parameter 'of': no Parcel has the id, name or alias '生益电子四期'"):
        run(sample, "impact", of="生益电子四期", label="Parcel")
    with pytest.raises(ParameterError, match="no Parcel or Project or Policy or Fund"):
        run(sample, "impact", of="不存在的地块")


# -- 5. goals-at-risk -------------------------------------------------------------------------


def test_2025_goals_strict(sample):
    rows = run(sample, "goals-at-risk", year=2025)
    assert pick(rows, "goal_id", "contributors", "project_count", "enterprise_count", "risk") == [
        ("G-2025-bachelors", ["招引集聚创新创业人才"], 0, 0, "无项目"),
        ("G-2025-business-district-consumption", ["世博", "东城万达", "京东", "国贸", "星河城", "着力扶持新商业"], 0, 0, "无项目"),
        ("G-2025-doctors", ["引进研发、工程等领域高端人才"], 0, 0, "无项目"),
        ("G-2025-electronics-output", ["电子信息", "重点企业培育战略"], 0, 0, "无项目"),
        ("G-2025-equipment-output", ["装备制造", "重点企业培育战略"], 0, 0, "无项目"),
        ("G-2025-food-output", ["传统优势产业强基跃升战略", "食品"], 0, 0, "无项目"),
        ("G-2025-leading-talent", ["实施重点行业领域企业家和企业骨干培育工程"], 0, 0, "无项目"),
        ("G-2025-masters", ["招引集聚创新创业人才"], 0, 0, "无项目"),
        ("G-2025-talent-team", ["引进研发、工程等领域高端人才"], 0, 0, "无项目"),
        # The chain's four stated members support it: not 无项目 any more.
        ("G-2025-storage-output", ["储能电池", "育产增能战略"], 0, 4, "仅企业"),
    ]
    storage = rows[-1]
    assert storage["enterprises"] == ["凯格精机", "博力威电池", "立迪科技", "鸿宝锂电"]
    assert storage["risk_basis"] == "无可跟踪项目; 4 家企业支撑"


def test_which_2025_goals_are_at_risk_lenient(sample):
    rows = run(sample, "goals-at-risk", year=2025, lenient=True, at_risk_only=True)
    assert pick(rows, "goal", "projects", "not_started", "in_progress", "at_risk_projects", "at_risk_pct", "risk") == [
        ("2025年5大商圈社会消费总额超200亿元", ["京东MALL", "星河城二期"], 2, 0, ["京东MALL", "星河城二期"], 100, "高"),
        ("2025年电子信息工业总产值突破300亿元",
         ["中麒光电混装MiniLED", "光大彩怡广场PCB板项目", "利扬芯片监测项目", "津田电子", "热动电子", "生益电子四期"],
         3, 3, ["光大彩怡广场PCB板项目", "利扬芯片监测项目", "津田电子"], 50, "高"),
    ]
    relaxed = run(sample, "goals-at-risk", year=2025, lenient=True, at_risk_only=True, threshold=0.6)
    assert [r["goal_id"] for r in relaxed] == ["G-2025-business-district-consumption"]


def test_set_members_count_as_the_goals_projects(sample):
    rows = run(sample, "goals-at-risk", year=2023)
    commissioning = next(r for r in rows if r["goal_id"] == "G-2023-major-industrial-commissioning")
    assert commissioning["projects"] == ["10个市级重大工业项目", "中麒光电混装MiniLED", "深圳凯特生物", "炬光科技", "生益电子四期", "鸿铭机械"]
    assert (commissioning["in_progress"], commissioning["at_risk_pct"], commissioning["risk"]) == (6, 0, "低")
    assert pick(rows, "goal_id", "risk")[4:10] == [
        ("G-2023-digital-assessment", "无项目"), ("G-2023-hitech", "无项目"),
        ("G-2023-major-investment-growth", "无项目"), ("G-2023-realestate-investment", "无项目"),
        ("G-2023-sanjiu-investment", "无项目"), ("G-2023-storage-scale", "仅企业"),
    ]
    assert commissioning["risk_basis"] == "0/6 个项目未开工、延期或受阻 (只看项目状态, 不看日期与目标年份)"
    assert len(rows) == 12


def test_indicators_are_left_out_unless_asked(sample):
    assert len(run(sample, "goals-at-risk")) == 23
    with_indicators = run(sample, "goals-at-risk", include_indicators=True)
    assert len(with_indicators) == 80
    assert "G-2022-gdp" in [r["goal_id"] for r in with_indicators]


# -- 6. goal-tracker --------------------------------------------------------------------------


def test_goal_tracker_progress(sample):
    rows = run(sample, "goal-tracker", year=2023, with_target=True)
    hitech = next(r for r in rows if r["goal_id"] == "G-2023-hitech")
    assert hitech == {
        "goal": "2023年高企认定超600家", "goal_id": "G-2023-hitech", "metric": "通过高企认定企业数",
        "year": 2023, "comparator": "超", "target_value": 600, "effective_target": 600, "unit": "家",
        "actual_value": 538, "actual_year": 2022, "progress_pct": 89.7, "gap": 62, "status": "未达成",
    }
    assert len(rows) == 10
    assert {r["status"] for r in rows if r["goal_id"] != "G-2023-hitech"} == {"无实际值"}


def test_goal_tracker_lists_indicators_and_relative_goals(sample):
    rows = run(sample, "goal-tracker")
    assert len(rows) == 80
    by_id = {r["goal_id"]: r for r in rows}
    assert (by_id["G-2022-gdp"]["actual_value"], by_id["G-2022-gdp"]["status"]) == (665.48, "无目标值")
    assert (by_id["G-2023-sanjiu-investment"]["comparator"], by_id["G-2023-sanjiu-investment"]["effective_target"],
            by_id["G-2023-sanjiu-investment"]["status"]) == ("翻番", None, "无目标值")
    assert rows[-1]["goal_id"] == "G-hospital-floor-area"  # no year: last


# -- 7. parcel-status -------------------------------------------------------------------------


def test_parcels_and_the_projects_waiting_on_them(sample):
    rows = run(sample, "parcel-status", waiting_only=True, lenient=True)
    assert pick(rows, "parcel", "land_status", "ready", "areas", "waiting_projects") == [
        ("立新九头村城市更新项目用地", "更新", False, ["立新"], ["九头村综合更新单位", "立新九头村城市更新项目"]),
        ("黄旗南片区存量产业空间", "更新", False, ["黄旗南片区"], ["八一路、旗同大街沿线部分旧厂、旧村拆除或微改造"]),
        ("5宗城市更新项目用地", "更新", False, [], ["5宗城市更新项目(总用地面积398.07亩)"]),
        ("东莞市实验中学原址改扩建项目用地", None, False, [], ["东莞市实验中学原址改扩建项目"]),
    ]


def test_parcels_by_land_status(sample):
    rows = run(sample, "parcel-status")
    assert len(rows) == 13
    assert [r["parcel"] for r in run(sample, "parcel-status", land_status="收储")] == ["原海关划拨地块", "金标地块", "温塘文化中心"]
    sold = run(sample, "parcel-status", land_status="已出让")
    assert pick(sold, "parcel", "ready", "projects", "waiting_count") == [
        ("新源路站TOD东侧综合开发项目用地", True, ["新源路站TOD东侧综合开发项目"], 0)
    ]
    assert rows[-1]["parcel"] == "新源路站TOD东侧综合开发项目用地"  # ready parcels last
    stock = next(r for r in rows if r["parcel_id"] == "PC-huangqinan-stock")
    assert (stock["area_mu"], stock["areas"], stock["waiting_count"]) == (1317.3, ["黄旗南片区"], 0)


# -- 8. policy-coverage -----------------------------------------------------------------------


def test_what_each_policy_supports(sample):
    rows = run(sample, "policy-coverage", section="政策支持", detail=True)
    assert len({r["policy_id"] for r in rows}) == 112
    food = [r for r in rows if r["policy_id"] == "POL-food-industry"]
    assert pick(food, "target_kind", "target", "inferred") == [
        ("产业链", "食品", False), ("企业", "雪花啤酒", False), ("企业", "徐记食品", False),
        ("项目", "雪花啤酒国际名优产品增资扩容", False),
    ]
    huiqi = [r for r in rows if r["policy_id"] == "POL-huiqi-38"]
    assert pick(huiqi, "amount_wan", "funded_by", "target") == [(30000, ["惠企38条奖补资金"], None)]


def test_policy_coverage_by_default_counts_what_each_policy_supports(sample):
    rows = run(sample, "policy-coverage", section="政策支持")
    assert len(rows) == 112 and len({r["policy_id"] for r in rows}) == 112
    food = next(r for r in rows if r["policy_id"] == "POL-food-industry")
    assert (food["supported_projects"], food["supported_chains"], food["supported_enterprises"], food["target"]) == (1, 1, 2, None)
    huiqi = next(r for r in rows if r["policy_id"] == "POL-huiqi-38")
    assert pick([huiqi], "amount_wan", "funded_by", "supported_projects", "supported_chains", "supported_enterprises") == [
        (30000, ["惠企38条奖补资金"], 0, 0, 0)
    ]
    detailed = run(sample, "policy-coverage", section="政策支持", detail=True)
    assert sum(r["supported_projects"] + r["supported_chains"] + r["supported_enterprises"] for r in rows) == len(
        [r for r in detailed if r["target"] is not None])
    # Naming a policy lists what it supports.
    named = run(sample, "policy-coverage", policy="POL-food-industry")
    assert pick(named, "section", "target_kind", "target", "supported_enterprises") == [
        ("政策支持", "产业链", "食品", 2), ("政策支持", "企业", "雪花啤酒", 2), ("政策支持", "企业", "徐记食品", 2),
        ("政策支持", "项目", "雪花啤酒国际名优产品增资扩容", 2),
    ]


def test_chains_and_projects_no_policy_supports(sample):
    # Every chain has a stated backer now that the 2023 plan's strategies and measures are nodes
    # (电子信息/装备制造: 重点企业培育战略; 孵化链条: 构建孵化链条; 芯片封装检测: its 集聚 measure).
    strict = run(sample, "policy-coverage", section="无政策支持")
    assert [r["target"] for r in strict if r["target_kind"] == "产业链"] == []
    projects = [r["target_id"] for r in strict if r["target_kind"] == "项目"]
    assert len(projects) == 40 and "P-liyang-chip-testing" not in projects and "P-xuehua-expansion" not in projects
    assert "P-everbright-pcb" in projects  # a 2022 negotiation no measure names
    lenient = run(sample, "policy-coverage", section="无政策支持", lenient=True)
    lenient_projects = {r["target_id"] for r in lenient if r["target_kind"] == "项目"}
    assert set(projects) - lenient_projects == {"PS-digital-workstations-200"}
    with_done = run(sample, "policy-coverage", section="无政策支持", include_done=True)
    assert len([r for r in with_done if r["target_kind"] == "项目"]) == 40 + 19


# -- 9. investment-rollup ---------------------------------------------------------------------


def test_investment_by_status_and_total(sample):
    rows = run(sample, "investment-rollup", by="status")
    assert rows[0] == {"dimension": "total", "group": "全部", "projects": 101, "with_investment": 5,
                       "investment_yi": 201.5, "share_pct": 100}
    assert pick(rows[1:4], "group", "projects", "with_investment", "investment_yi", "share_pct") == [
        ("签约", 5, 2, 145.3, 72.1), ("推进", 32, 1, 44.7, 22.2), ("在建", 11, 2, 11.5, 5.7),
    ]
    assert sum(r["projects"] for r in rows[1:]) == 101


def test_investment_by_area_phase_level_and_chain(sample):
    area = run(sample, "investment-rollup", by="area", year=2022)
    assert pick(area, "dimension", "group", "projects", "investment_yi") == [
        ("total", "全部", 51, 201.5), ("area", "东城新丰组团", 3, 138.8), ("area", "桑园片区", 1, 0), ("area", "温塘片区", 1, 0),
    ]
    phase = run(sample, "investment-rollup", by="phase")
    assert pick(phase[1:], "group", "projects", "investment_yi") == [
        ("not_started", 37, 145.3), ("in_progress", 43, 56.2), ("done", 21, 0),
    ]
    level = run(sample, "investment-rollup", by="level")
    assert pick(level[1:], "group", "projects") == [("(未注明)", 90), ("市重大", 10), ("省重点", 1)]
    chain = run(sample, "investment-rollup", by="chain", lenient=True)
    assert pick(chain[1:], "group", "projects", "investment_yi") == [
        ("电子信息", 5, 0), ("孵化链条", 3, 0), ("芯片封装检测", 1, 0), ("装备制造", 1, 0), ("食品", 1, 0),
    ]


# -- 10. integrity ----------------------------------------------------------------------------

# 凯格精机, 博力威电池 and 鸿宝锂电 are stated members of the 新能源 chain (二(二)三), so they are not here.
STRICTLY_CHAINLESS = [
    "E-alibaba", "E-dingtong", "E-focuslight", "E-hongming", "E-huajing", "E-jd",
    "E-lingnan", "E-pdd", "E-shengyi", "E-szkaite", "E-xianzhi", "E-xuehua", "E-xuji",
    "E-yidong", "E-youxian", "E-zhongqi",
]


def test_integrity_of_the_sample(sample):
    rows = run(sample, "integrity", detail=True)
    checks = {}
    for row in rows:
        checks.setdefault(row["check"], []).append(row["id"])
    assert sorted(checks) == ["enterprise_without_chain", "project_without_goal"]  # no schema problems, no cycles
    assert checks["enterprise_without_chain"] == STRICTLY_CHAINLESS
    assert len(checks["project_without_goal"]) == 81
    assert "P-liyang-chip-testing" in checks["project_without_goal"]
    lenient = run(sample, "integrity", lenient=True, check="enterprise_without_chain")
    assert [r["id"] for r in lenient] == STRICTLY_CHAINLESS
    goalless = [r["id"] for r in run(sample, "integrity", lenient=True, check="project_without_goal")]
    assert "P-liyang-chip-testing" not in goalless and "P-huolianshu-renewal" not in goalless
    assert len(goalless) == 57


def test_integrity_by_default_counts_problems_per_check(sample):
    rows = run(sample, "integrity")
    assert pick(rows, "check", "label", "id", "count") == [
        ("endpoint", None, None, None), ("unknown_label", None, None, 0), ("unnamed", None, None, 0),
        ("cycle", None, None, 0), ("project_without_goal", "Project", None, 81),
        ("enterprise_without_chain", "Enterprise", None, 16),
    ]
    assert rows[-1]["detail"] == "16 found" and rows[1]["detail"] == "none found"
    assert pick(run(sample, "integrity", endpoints=True)[:1], "check", "count", "detail") == [("endpoint", 0, "none found")]
    lenient = run(sample, "integrity", lenient=True)
    assert pick(lenient[-2:], "check", "count") == [("project_without_goal", 57), ("enterprise_without_chain", 16)]
    # A named check lists its problems, one row each.
    named = run(sample, "integrity", check="enterprise_without_chain")
    assert [r["id"] for r in named] == STRICTLY_CHAINLESS and {r["count"] for r in named} == {1}


# -- the Python entry points ------------------------------------------------------------------


def test_report_from_python_returns_a_dataframe(sample):
    from portfolio_graph import report
    from portfolio_graph.portfolio import Portfolio

    portfolio = Portfolio(sample)
    frame = report("chain-completeness", portfolio=portfolio, chain="芯片封装检测", lenient=True)
    assert list(frame.columns) == get_report("chain-completeness").column_names
    assert frame.loc[frame["status"] == "补链", "segment"].tolist() == ["芯片设计", "芯片软件", "封装技术", "相关装备生产"]
    assert frame.attrs["report"] == "chain-completeness"
    same = portfolio.report("chain-completeness", chain="芯片封装检测", lenient=True)
    assert same.equals(frame)
    empty = portfolio.report("project-blockers", project="火炼树旧改")
    assert empty.empty and list(empty.columns) == get_report("project-blockers").column_names
