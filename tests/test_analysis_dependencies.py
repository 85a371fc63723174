"""Dependency order, cycles and the critical path: hand-built answers on both engines."""

from __future__ import annotations

import pytest

from portfolio_graph.analysis import DependencyCycleError, critical_path, dependency_order, find_cycles
from portfolio_graph.graph import GraphBatch
from portfolio_graph.analysis.durations import add_months, months_between, parse_date
from test_analysis_graphs import buildout_batch, cycle_batch, load


def test_critical_path_on_the_buildout_network(backend):
    graph = load(backend, buildout_batch())
    result = critical_path(graph)
    # A 0→6, B 6→18 (12.0 months from its dates), C 18→21, D 21→21 (no duration: assumed 0)
    assert result.path == ["Project:A", "Project:B", "Project:C", "Project:D"]
    assert result.names == ["土地整备", "厂房建设", "设备安装", "投产"]
    assert result.length_months == 21
    schedule = result.schedule.set_index("id")
    assert schedule.loc["B", "duration_months"] == 12
    assert schedule.loc["B", "duration_source"] == "start→planned_end"
    assert schedule.loc["A", "duration_source"] == "duration_months"
    assert schedule.loc["L", "duration_source"] == "milestone"
    assert schedule.loc["D", "duration_source"] == "assumed"
    assert dict(schedule["slack_months"]) == {"A": 0, "L": 6, "E": 19, "B": 0, "C": 0, "D": 0}
    assert dict(schedule["earliest_finish"]) == {"A": 6, "L": 0, "E": 2, "B": 18, "C": 21, "D": 21}
    assert list(result.assumptions["id"]) == ["D"]
    assert result.assumptions.iloc[0]["assumed_months"] == 0
    assert "1 of 5 projects" in result.notes[0]
    frame = result.to_frame()
    assert list(frame["step"]) == [1, 2, 3, 4]
    assert list(frame["name"]) == ["土地整备", "厂房建设", "设备安装", "投产"]


def test_an_assumed_duration_lengthens_the_path_and_is_reported(backend):
    graph = load(backend, buildout_batch())
    result = critical_path(graph, assume_months=1.5)
    assert result.length_months == 22.5
    assert result.assumptions.iloc[0]["assumed_months"] == 1.5
    assert "assumed 1.5 months" in result.assumptions.iloc[0]["reason"]


def test_dependency_order_puts_prerequisites_first(backend):
    graph = load(backend, buildout_batch())
    order = dependency_order(graph)
    assert not order.has_cycles
    levels = {row.id: row.level for row in order.frame.itertuples()}
    assert levels == {"A": 0, "L": 0, "E": 0, "B": 1, "C": 2, "D": 3}
    assert list(order.frame["id"]) == ["L", "A", "E", "B", "C", "D"]  # by level, then key
    row_d = order.frame.set_index("id").loc["D"]
    assert row_d["depends_on"] == ["设备安装", "配套道路"]
    assert order.frame.set_index("id").loc["A", "needed_by"] == ["厂房建设"]


def test_a_cycle_is_reported_in_order_and_blocks_the_critical_path(backend):
    graph = load(backend, cycle_batch())
    assert find_cycles(graph) == [["Project:P1", "Project:P2", "Project:P3"]]
    order = dependency_order(graph)
    assert order.has_cycles
    assert list(order.cycles_table["path"]) == ["甲 → 乙 → 丙 → 甲"]
    assert list(order.cycles_table["ids"]) == [["P1", "P2", "P3"]]
    in_cycle = dict(zip(order.frame["id"], order.frame["in_cycle"]))
    assert in_cycle == {"P1": True, "P2": True, "P3": True, "P4": False}
    levels = dict(zip(order.frame["id"], order.frame["level"]))
    assert levels == {"P1": 0, "P2": 0, "P3": 0, "P4": 1}
    with pytest.raises(DependencyCycleError, match="甲 → 乙 → 丙 → 甲") as caught:
        critical_path(graph)
    assert caught.value.cycles == [["Project:P1", "Project:P2", "Project:P3"]]


def test_an_empty_network_has_no_path(backend):
    graph = load(backend, GraphBatch())
    result = critical_path(graph)
    assert result.path == [] and result.length_months == 0
    assert result.notes == ["DEPENDS_ON is empty: there is no critical path."]


def test_month_arithmetic():
    assert months_between(parse_date("2023-01-01"), parse_date("2023-12-31")) == 12.0
    assert str(add_months(parse_date("2023-12-31"), 6)) == "2024-06-30"
    assert str(add_months(parse_date("2023-01-31"), 1)) == "2023-02-28"
    assert str(add_months(parse_date("2023-03-15"), 2)) == "2023-05-15"
    assert str(add_months(parse_date("2023-03-15"), 0.5)) == "2023-03-30"
