"""Field-level change records and ``portfolio-graph changes``, on both engines."""

from __future__ import annotations

import csv
import datetime as _dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from schedule_support import backend, backend_location  # noqa: F401  (clear the graph after each test)
from portfolio_graph.cli import main
from portfolio_graph.errors import InputError
from portfolio_graph.loaders import load_files
from portfolio_graph.schedule.changes import changes


def write(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


HEADER = ["项目编号", "项目名称", "建设状态", "总投资(亿元)", "所属片区"]


def load_twice(backend, tmp_path):
    first = write(tmp_path / "项目.csv", [HEADER, ["P-01", "一号", "在建", 5, "东片"], ["P-02", "二号", "前期", 3, "东片"],
                                          ["P-03", "三号", "前期", "", ""]])
    load_files(backend, [first], create_missing=True)
    # The next month's list: P-01 finished and moved, P-02's figure revised, P-04 new.
    second = write(tmp_path / "项目.csv", [HEADER, ["P-01", "一号", "建成", 5, "西片"], ["P-02", "二号", "前期", 3.5, "东片"],
                                           ["P-03", "三号", "前期", "", ""], ["P-04", "四号", "谋划", 1, "东片"]])
    result = load_files(backend, [second], create_missing=True)
    return backend, result


@pytest.fixture
def twice(backend, tmp_path):
    return load_twice(backend, tmp_path)


def test_every_changed_field_with_old_new_and_the_load(twice):
    backend, result = twice
    rows = changes(backend, _dt.date.today())
    fields = {(r["id"], r["field"]): (r["old"], r["new"]) for r in rows if r["status"] == "changed"}
    assert fields[("P-01", "status")] == ("在建", "建成")
    assert fields[("P-02", "investment_yi")] == (3, 3.5)
    later = [r for r in rows if r["load_id"] == result.load_id]
    assert {(r["label"], r["id"], r["status"]) for r in later if r["status"] != "changed"} == {
        ("Project", "P-04", "added"), ("LOCATED_IN", "P-04 -> 东片", "added"),
        ("LOCATED_IN", "P-01 -> 西片", "added"), ("LOCATED_IN", "P-01 -> 东片", "removed"), ("Area", "西片", "added")}
    assert all(r["at"] >= _dt.date.today().isoformat() for r in rows)
    assert next(r for r in later if r["id"] == "P-01")["name"] == "一号"


def test_label_id_and_since_narrow_the_changes(twice):
    backend, result = twice
    today = _dt.date.today()
    only = changes(backend, today, label="Project", node_id="P-01")
    assert {(r["status"], r["field"]) for r in only} == {("added", None), ("changed", "status")}
    links = changes(backend, today, node_id="P-01")
    assert {(r["label"], r["id"], r["status"]) for r in links if r["label"] == "LOCATED_IN" and r["load_id"] == result.load_id} \
        == {("LOCATED_IN", "P-01 -> 西片", "added"), ("LOCATED_IN", "P-01 -> 东片", "removed")}
    assert changes(backend, today + _dt.timedelta(days=1)) == []
    with pytest.raises(InputError, match="not a date"):
        changes(backend, "last month")
    with pytest.raises(InputError, match="unknown label"):
        changes(backend, today, label="Projekt")


def test_the_same_file_again_records_nothing(twice, tmp_path):
    backend, _ = twice
    before = backend.read("MATCH (c:Change) RETURN count(c) AS n")[0]["n"]
    load_files(backend, [tmp_path / "项目.csv"], create_missing=True)
    assert backend.read("MATCH (c:Change) RETURN count(c) AS n")[0]["n"] == before


def test_the_changes_command(backend_location, tmp_path):
    backend, location = backend_location
    load_twice(backend, tmp_path)
    result = CliRunner().invoke(main, [*location, "changes", "--since", _dt.date.today().isoformat(), "--label", "Project",
                                       "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {"id": "P-01", "field": "status", "old": "在建", "new": "建成"}.items() <= \
        next(r for r in rows if r["field"] == "status").items()
    bad = CliRunner().invoke(main, [*location, "changes", "--since", "昨天"])
    assert bad.exit_code == 2 and "not a date" in bad.output


def test_a_month_reloaded_shows_in_the_changes(backend, tmp_path):
    write(tmp_path / "项目.csv", [["项目编号", "项目名称"], ["P-01", "一号"], ["P-02", "二号"]])
    load_files(backend, [tmp_path / "项目.csv"])
    header = ["项目编号", "项目名称", "统计月份", "年度累计完成投资(万元)"]
    write(tmp_path / "2023年4月进度.csv", [header, ["P-01", "一号", "2023-04", 100], ["P-02", "二号", "2023-04", 50]])
    load_files(backend, [tmp_path / "2023年4月进度.csv"])
    write(tmp_path / "2023年4月进度.csv", [header, ["P-01", "一号", "2023-04", 120]])
    again = load_files(backend, [tmp_path / "2023年4月进度.csv"])
    rows = [r for r in changes(backend, _dt.date.today(), label="Progress") if r["load_id"] == again.load_id]
    assert {(r["id"], r["status"], r["field"], r["old"], r["new"]) for r in rows} == {
        ("P-01@2023-04", "changed", "ytd_wan", 100, 120), ("P-02@2023-04", "pruned", None, None, None)}
