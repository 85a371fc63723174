"""Delay what-if on the hand-built build-out network (see test_analysis_graphs), both engines."""

from __future__ import annotations

import pytest

from portfolio_graph.analysis import delay
from portfolio_graph.analysis.frames import records
from test_analysis_graphs import buildout_batch, cycle_batch, load

SLIP_COLUMNS = ["id", "slip_months", "via", "link", "buffer_months", "basis", "new_planned_end"]


def test_a_delay_beyond_the_slack_propagates_by_the_excess(backend):
    graph = load(backend, buildout_batch())
    result = delay(graph, "土地整备", 9)
    assert result.target == "Project:A"
    assert records(result.slips, SLIP_COLUMNS) == [
        {"id": "A", "slip_months": 9, "via": "(delayed)", "link": None, "buffer_months": None, "basis": None,
         "new_planned_end": "2024-03-31"},
        # B ends 6.0 months after A: 9 - 6 = 3
        {"id": "B", "slip_months": 3, "via": "土地整备", "link": "DEPENDS_ON", "buffer_months": 6,
         "basis": "planned_end dates", "new_planned_end": "2024-03-31"},
        # C ends 1.0 month after B: 3 - 1 = 2
        {"id": "C", "slip_months": 2, "via": "厂房建设", "link": "DEPENDS_ON", "buffer_months": 1,
         "basis": "planned_end dates", "new_planned_end": "2024-03-31"},
        # D has no planned_end: no known buffer, the whole 2 months pass on
        {"id": "D", "slip_months": 2, "via": "设备安装", "link": "DEPENDS_ON", "buffer_months": None,
         "basis": "no dates: full delay", "new_planned_end": None},
        {"id": "S", "slip_months": 2, "via": "投产", "link": "MEMBER_OF", "buffer_months": None,
         "basis": "no dates: full delay", "new_planned_end": None},
    ]
    assert records(result.goals, ["id", "max_slip_months", "past_goal_year", "via"]) == [
        {"id": "G1", "max_slip_months": 2, "past_goal_year": None, "via": ["投产: CONTRIBUTES_TO"]},
        {"id": "G2", "max_slip_months": 2, "past_goal_year": None, "via": ["投产项目集合: CONTRIBUTES_TO"]},
        {"id": "G3", "max_slip_months": 2, "past_goal_year": True, "via": ["设备安装: IN_CHAIN 芯片 → CONTRIBUTES_TO"]},
        {"id": "G5", "max_slip_months": 3, "past_goal_year": False, "via": ["厂房建设: CONTRIBUTES_TO"]},
    ]
    assert result.notes[-1] == "4 goal(s) at risk."


def test_a_delay_within_the_slack_is_absorbed(backend):
    graph = load(backend, buildout_batch())
    result = delay(graph, "A", 4)
    assert records(result.slips, ["id", "slip_months", "basis"]) == [
        {"id": "A", "slip_months": 4, "basis": None},
        {"id": "B", "slip_months": 0, "basis": "planned_end dates"},
    ]
    assert list(result.slipped["id"]) == ["A"]
    assert result.goals.empty
    assert "1 absorb the delay in their slack" in result.notes[1]


def test_a_parcel_delay_reaches_dependants_and_projects_built_on_it(backend):
    graph = load(backend, buildout_batch())
    result = delay(graph, "地块L", 2)
    assert records(result.slips, ["id", "label", "slip_months", "link"]) == [
        {"id": "L", "label": "Parcel", "slip_months": 2, "link": None},
        {"id": "B", "label": "Project", "slip_months": 2, "link": "DEPENDS_ON"},
        {"id": "F", "label": "Project", "slip_months": 2, "link": "USES_PARCEL"},
        {"id": "C", "label": "Project", "slip_months": 1, "link": "DEPENDS_ON"},
        {"id": "D", "label": "Project", "slip_months": 1, "link": "DEPENDS_ON"},
        {"id": "S", "label": "Project", "slip_months": 1, "link": "MEMBER_OF"},
    ]
    assert list(result.goals["id"]) == ["G1", "G2", "G3", "G5"]
    assert list(result.goals["max_slip_months"]) == [1, 1, 1, 2]


def test_targets_are_found_by_alias_and_bad_names_say_what_exists(backend):
    graph = load(backend, buildout_batch())
    assert delay(graph, "新厂房", 1).target == "Project:B"
    assert delay(graph, "Project:C", 1).target == "Project:C"
    with pytest.raises(ValueError, match=r"no Parcel/Policy/Project is named '厂房'.*did you mean: 厂房建设 \(B\)"):
        delay(graph, "厂房", 1)
    with pytest.raises(ValueError, match="positive"):
        delay(graph, "A", 0)


def test_a_cycle_does_not_loop_forever(backend):
    graph = load(backend, cycle_batch())
    result = delay(graph, "甲", 2)
    assert dict(zip(result.slips["name"], result.slips["slip_months"])) == {"甲": 2, "丙": 2, "丁": 2, "乙": 2}
