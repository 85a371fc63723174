"""The analyses on the 东城 sample portfolio (data/dongcheng), on both engines.

Expected answers come from the CSVs: counts are recounted from the files here, and the
worked answers are spelled out with the rows that give them.
"""

from __future__ import annotations

import csv
from collections import Counter

import networkx as nx
import pytest

from conftest import BACKEND_PARAMS, BACKENDS, SAMPLE_DIR, backend_by_name
from portfolio_graph.analysis import (
    chain_metrics, critical_path, delay, dependency_order, health, node_link, to_networkx,
)
from portfolio_graph.analysis.frames import records
from support.sample import ensure_sample


def _csv(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


NODES = {p.stem: _csv(p) for p in sorted((SAMPLE_DIR / "nodes").glob("*.csv"))}
RELS = {p.stem: _csv(p) for p in sorted((SAMPLE_DIR / "rels").glob("*.csv"))}


_EXPORTS: dict[str, tuple[nx.MultiDiGraph, nx.MultiDiGraph]] = {}


def _export(request, name: str, stated_only: bool = False) -> nx.MultiDiGraph:
    """The sample loaded once per engine (per test session), exported whole and stated-only."""
    if name not in _EXPORTS:
        backend = ensure_sample(name, backend_by_name(request, name))
        _EXPORTS[name] = (to_networkx(backend), to_networkx(backend, stated_only=True))
    return _EXPORTS[name][1 if stated_only else 0]


@pytest.fixture(scope="module", params=BACKEND_PARAMS)
def sample(request):
    return _export(request, request.param)


@pytest.fixture(scope="module", params=BACKEND_PARAMS)
def sample_stated(request):
    return _export(request, request.param, stated_only=True)


def _comparable(graph: nx.MultiDiGraph) -> dict:
    """Node-link data without what differs between two loads: the load's id."""
    data = node_link(graph)
    data["graph"].pop("engine")
    for item in data["nodes"] + data["edges"]:
        item.pop("load_id", None)
    return data


@pytest.mark.neo4j
def test_both_engines_export_the_identical_graph(request):
    falkor, neo = (_comparable(_export(request, name)) for name in BACKENDS)
    assert falkor["nodes"] == neo["nodes"]
    assert falkor["edges"] == neo["edges"]
    assert falkor == neo
    strict = {name: _export(request, name, stated_only=True) for name in BACKENDS}
    assert _comparable(strict["falkordb"]) == _comparable(strict["neo4j"])


def test_the_export_holds_every_row_of_the_sample(sample):
    assert sample.number_of_nodes() == sum(len(rows) for rows in NODES.values())
    assert sample.number_of_edges() == sum(len(rows) for rows in RELS.values())
    assert Counter(k for *_, k in sample.edges(keys=True)) == Counter({t: len(r) for t, r in RELS.items()})
    shengyi = sample.nodes["Project:P-shengyi-4"]
    assert (shengyi["name"], shengyi["status"], shengyi["planned_end"], shengyi["label"]) == (
        "生益电子四期", "在建", "2023-12-31", "Project")
    inferred = sum(1 for rows in RELS.values() for r in rows if r["inferred"] == "true")
    assert sum(1 for *_, d in sample.edges(data=True) if d.get("inferred") is True) == inferred


def test_dependency_order_of_the_sample(sample):
    # DEPENDS_ON.csv: links from projects, and from areas, a chain and goals (issue 12); the longest
    # chain is 黄旗南核心区 → 八一路…微改造 → 黄旗南片区存量产业空间统筹规划; no cycle
    order = dependency_order(sample)
    assert not order.has_cycles
    by_level = {level: sorted(rows["id"]) for level, rows in order.frame.groupby("level")}
    assert by_level == {
        0: ["P-dongcheng-hospital-expansion", "P-foreign-lang-school", "P-huangqinan-stock-plan", "P-huolianshu-unit",
            "P-liyang-chip-testing", "P-xiangyu-corridor-2", "PC-jiutou-land", "PC-shiyan-land",
            "PS-major-industrial-10", "PS-parking-huangqinan-5"],
        1: ["A-huangqinan", "C-chip-packaging-testing", "G-2023-major-industrial-commissioning", "G-2023-parking-lots",
            "G-2023-primary-seats", "G-hospital-floor-area", "P-bayi-qitong-renewal", "P-huolianshu-renewal",
            "P-jiutou-renewal", "P-shiyan-school", "P-xiangyu-corridor-3"],
        2: ["A-huangqinan-core"],
    }


def test_critical_path_of_the_sample_says_what_it_assumed(sample):
    # The report gives no duration for any project in DEPENDS_ON: all thirteen are assumed 0; the
    # longest chain ends at an area (黄旗南核心区 waits on the works that make its space).
    result = critical_path(sample)
    assert result.path == ["Project:P-huangqinan-stock-plan", "Project:P-bayi-qitong-renewal", "Area:A-huangqinan-core"]
    assert result.length_months == 0
    assert sorted(result.assumptions["id"]) == [
        "P-bayi-qitong-renewal", "P-dongcheng-hospital-expansion", "P-foreign-lang-school", "P-huangqinan-stock-plan",
        "P-huolianshu-renewal", "P-huolianshu-unit", "P-jiutou-renewal", "P-liyang-chip-testing", "P-shiyan-school",
        "P-xiangyu-corridor-2", "P-xiangyu-corridor-3", "PS-major-industrial-10", "PS-parking-huangqinan-5",
    ]
    assert result.notes[0] == ("13 of 13 projects in the dependency network have no planned duration; "
                               "each was assumed to take 0 months.")
    assert critical_path(sample, assume_months=12).length_months == 24


def test_a_late_major_industrial_project_puts_three_goals_at_risk(sample):
    # 生益电子四期 (planned_end 2023-12-31) is MEMBER_OF 10个市级重大工业项目 (also 2023-12-31: no
    # buffer). Goals: it CONTRIBUTES_TO G-2023-major-industrial-commissioning and
    # G-2025-electronics-output, is IN_CHAIN 电子信息 (→ G-2025-electronics-output); the set
    # CONTRIBUTES_TO G-2023-major-industrial-commissioning and G-2023-major-investment-growth.
    result = delay(sample, "生益电子四期", 6)
    assert records(result.slips, ["id", "slip_months", "link", "basis", "new_planned_end"]) == [
        {"id": "P-shengyi-4", "slip_months": 6, "link": None, "basis": None, "new_planned_end": "2024-06-30"},
        {"id": "PS-major-industrial-10", "slip_months": 6, "link": "MEMBER_OF", "basis": "planned_end dates",
         "new_planned_end": "2024-06-30"},
        # the commissioning goal DEPENDS_ON the set (二(四)一 '10个市级重大工业项目年内投产')
        {"id": "G-2023-major-industrial-commissioning", "slip_months": 6, "link": "DEPENDS_ON",
         "basis": "no dates: full delay", "new_planned_end": None},
    ]
    assert records(result.goals, ["id", "goal", "year", "past_goal_year", "via"]) == [
        {"id": "G-2023-major-industrial-commissioning", "goal": "10个市级重大工业项目年内投产", "year": 2023,
         "past_goal_year": True, "via": ["生益电子四期: CONTRIBUTES_TO", "10个市级重大工业项目: CONTRIBUTES_TO"]},
        {"id": "G-2023-major-investment-growth", "goal": "重大项目有效投资同比增长15%以上", "year": 2023,
         "past_goal_year": True, "via": ["10个市级重大工业项目: CONTRIBUTES_TO"]},
        {"id": "G-2025-electronics-output", "goal": "2025年电子信息工业总产值突破300亿元", "year": 2025,
         "past_goal_year": False,
         "via": ["生益电子四期: CONTRIBUTES_TO", "生益电子四期: IN_CHAIN 电子信息 → CONTRIBUTES_TO"]},
    ]
    assert list(result.goals["target"]) == ["10个", "15%以上", "突破300亿元"]


def test_stated_links_only_leave_one_goal_at_risk(sample_stated):
    # Stated links only: the set's CONTRIBUTES_TO to the investment goal, the project's own
    # CONTRIBUTES_TO to the electronics goal and its IN_CHAIN 电子信息 are all inferred.
    result = delay(sample_stated, "P-shengyi-4", 6)
    assert list(result.goals["id"]) == ["G-2023-major-industrial-commissioning"]


def test_a_late_parcel_delays_both_jiutou_renewals(sample):
    # P-jiutou-renewal DEPENDS_ON and USES_PARCEL PC-jiutou-land; P-jiutou-unit USES_PARCEL it
    # (inferred); none has a planned_end, so the whole delay passes on.
    result = delay(sample, "立新九头村城市更新项目用地", 3)
    assert records(result.slips, ["id", "slip_months", "link", "basis"]) == [
        {"id": "PC-jiutou-land", "slip_months": 3, "link": None, "basis": None},
        {"id": "P-jiutou-renewal", "slip_months": 3, "link": "DEPENDS_ON", "basis": "no dates: full delay"},
        {"id": "P-jiutou-unit", "slip_months": 3, "link": "USES_PARCEL", "basis": "no dates: full delay"},
    ]
    assert records(result.goals, ["id", "past_goal_year", "via"]) == [
        {"id": "G-2023-sanjiu-investment", "past_goal_year": None, "via": ["九头村综合更新单位: CONTRIBUTES_TO"]},
    ]


def test_chain_metrics_of_the_sample(sample, sample_stated):
    metrics = chain_metrics(sample, "芯片封装检测")
    assert records(metrics.chains, ["segments", "covered_segments", "coverage", "gaps", "anchors"]) == [
        {"segments": 5, "covered_segments": 1, "coverage": 0.2, "gaps": ["芯片设计", "芯片软件", "封装技术", "相关装备生产"],
         "anchors": ["利扬芯片"]},
    ]
    # UPSTREAM_OF follows the listed order 芯片设计 → … → 相关装备生产
    assert records(metrics.segments, ["segment", "upstream_reach", "downstream_reach", "enterprises"]) == [
        {"segment": "芯片设计", "upstream_reach": 0, "downstream_reach": 4, "enterprises": []},
        {"segment": "芯片软件", "upstream_reach": 1, "downstream_reach": 3, "enterprises": []},
        {"segment": "封装技术", "upstream_reach": 2, "downstream_reach": 2, "enterprises": []},
        {"segment": "芯片检测", "upstream_reach": 3, "downstream_reach": 1, "enterprises": ["利扬芯片"]},
        {"segment": "相关装备生产", "upstream_reach": 4, "downstream_reach": 0, "enterprises": []},
    ]
    storage = chain_metrics(sample, "储能电池")
    assert records(storage.chains, ["segments", "covered_segments", "gaps", "enterprises"]) == [
        {"segments": 3, "covered_segments": 2, "gaps": ["储能应用"], "enterprises": 4},
    ]
    assert records(storage.enterprises, ["enterprise", "segments", "in_chain_only"]) == [
        {"enterprise": "博力威电池", "segments": ["电池"], "in_chain_only": False},
        {"enterprise": "鸿宝锂电", "segments": ["电池"], "in_chain_only": False},
        {"enterprise": "凯格精机", "segments": ["电池设备制造"], "in_chain_only": False},
        {"enterprise": "立迪科技", "segments": [], "in_chain_only": True},
    ]
    # Counting stated links only, all five chip segments are empty (README: judgement calls)
    strict = chain_metrics(sample_stated, "C-chip-packaging-testing")
    assert strict.chains.iloc[0]["covered_segments"] == 0
    assert list(strict.segments["upstream_reach"]) == [0, 0, 0, 0, 0]
    assert chain_metrics(sample_stated, "储能电池").chains.iloc[0]["segments"] == 0


def test_health_of_the_sample(sample):
    result = health(sample)
    counts = {(r["kind"], r["name"]): r["count"] for r in records(result.counts)}
    for label, rows in NODES.items():
        assert counts[("label", label)] == len(rows)
    for rel_type, rows in RELS.items():
        assert counts[("relationship", rel_type)] == len(rows)

    linked = {(r[f"{end}_label"], r[f"{end}_id"]) for rows in RELS.values() for r in rows for end in ("from", "to")}
    orphans = sorted(f"{label}:{row['id']}" for label, rows in NODES.items() for row in rows
                     if (label, row["id"]) not in linked)
    assert sorted(result.check("orphans")["keys"]) == orphans
    contributed = {r["to_id"] for r in RELS["CONTRIBUTES_TO"]}
    assert sorted(result.check("goals_without_contributor")["keys"]) == sorted(
        f"Goal:{g['id']}" for g in NODES["Goal"] if g["id"] not in contributed)
    in_chain = {r["from_id"] for t in ("IN_SEGMENT", "ANCHORS", "IN_CHAIN") for r in RELS[t]
                if r["from_label"] == "Enterprise"}
    assert sorted(result.check("enterprises_in_no_chain")["keys"]) == sorted(
        f"Enterprise:{e['id']}" for e in NODES["Enterprise"] if e["id"] not in in_chain)
    assert result.check("dependency_cycles")["count"] == 0
    assert result.check("segments_without_enterprise")["count"] == 8
    single = [p for p in NODES["Project"] if p["kind"] != "集合"]
    assert result.check("projects_missing_duration")["count"] == len(single)  # no duration anywhere
    assert result.check("dependency_projects_missing_duration")["count"] == 11  # 13 in the network, 2 of them sets
    without_goal = result.check("projects_without_goal")["keys"]
    assert "Project:P-shengyi-4" not in without_goal  # direct
    assert "Project:P-jintian" not in without_goal  # IN_CHAIN 电子信息
    assert "Project:P-focuslight" not in without_goal  # direct, and MEMBER_OF the 10 projects
    assert "Project:P-clinic-building" in without_goal  # 街道社卫中心新大楼: no goal in the report
    assert result.check("inferred_relationships")["count"] == sum(
        1 for rows in RELS.values() for r in rows if r["inferred"] == "true")
