"""Plan tables and monthly progress reports through the loader, on both engines: recognised by
their headers, kept per year and per month, a month replaced whole, and bad input refused whole."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from schedule_support import backend, backend_location  # noqa: F401  (clear the graph after each test)
from portfolio_graph.loaders import LoadRejected, load_files

PROJECTS = [("P-01", "一号项目"), ("P-02", "二号项目"), ("P-03", "三号项目")]
PROGRESS = ["项目编号", "项目名称", "统计月份", "本月完成投资(万元)", "年度累计完成投资(万元)", "自开工累计完成投资(万元)",
            "实际开工时间", "形象进度", "存在问题"]


def write(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def projects(backend, tmp_path):
    load_files(backend, [write(tmp_path / "项目.csv", ["项目编号", "项目名称", "建设状态"],
                               [[i, n, "在建"] for i, n in PROJECTS])])
    return backend


def progress(tmp_path: Path, name: str, rows: list[list[object]]) -> Path:
    return write(tmp_path / name, PROGRESS, rows)


def plan_file(tmp_path: Path, year: int = 2023, unit: str = "万元") -> Path:
    header = ["项目编号", "项目名称", "项目单位", "建设内容及规模", "建设起止年限", f"总投资({unit})",
              f"至上年底累计完成投资({unit})", f"{year}年计划投资({unit})", "计划开工时间", "年计划形象进度"]
    header += [f"{m}月计划投资({unit})" for m in range(1, 13)]
    rows = [["P-01", "一号项目", "东城建设", "厂房10万平方米", "2022-2024", 5, 1, 1.2, "2022-03", "主体封顶"] + [0.1] * 12,
            ["P-02", "二号项目", "东城建设", "道路2公里", f"{year}-{year + 1}", 3, 0, 0.6, f"{year}年4月", "完成路基"] + [""] * 12]
    return write(tmp_path / f"{year}年重点项目计划.csv", header, rows)


def node(backend, label: str, node_id: str) -> dict:
    rows = backend.read(f"MATCH (n:`{label}` {{id: $id}}) RETURN properties(n) AS p", {"id": node_id})
    return rows[0]["p"] if rows else {}


def test_a_plan_table_is_recognised_without_a_mapping_in_its_year_and_units(projects, tmp_path):
    result = load_files(projects, [plan_file(tmp_path, unit="亿元")])
    assert {c.label for c in result.changes} >= {"Plan", "PLAN_OF"}
    plan = node(projects, "Plan", "P-01@2023")
    assert plan["year"] == 2023 and plan["project_id"] == "P-01"
    assert plan["planned_wan"] == 12000 and plan["total_wan"] == 50000 and plan["prior_wan"] == 10000
    assert plan["m01_wan"] == 1000 and plan["planned_start"] == "2022-03-01" and plan["period"] == "2022-2024"
    assert node(projects, "Plan", "P-02@2023")["planned_start"] == "2023-04-01"
    linked = projects.read("MATCH (:Plan {id: 'P-01@2023'})-[:PLAN_OF]->(p:Project) RETURN p.id AS id")
    assert linked == [{"id": "P-01"}]
    # Next year's plan keeps this year's.
    load_files(projects, [plan_file(tmp_path, year=2024)])
    years = projects.read("MATCH (q:Plan {project_id: 'P-01'}) RETURN q.year AS y ORDER BY y")
    assert [r["y"] for r in years] == [2023, 2024]


def test_each_month_is_kept_and_a_month_loaded_again_is_replaced_whole(projects, tmp_path):
    march = progress(tmp_path, "2023年3月进度.csv", [["P-01", "一号项目", "2023年3月", 100, 300, 900, "2022-03-05", "主体施工", ""],
                                                    ["P-02", "二号项目", "2023-03", 0, 0, 0, "", "前期", "用地"]])
    april = progress(tmp_path, "2023年4月进度.csv", [["P-01", "一号项目", "2023-04", 100, 400, 1000, "2022-03-05", "主体施工", ""]])
    load_files(projects, [march])
    load_files(projects, [april])
    months = projects.read("MATCH (r:Progress)-[:PROGRESS_OF]->(:Project {id: 'P-01'}) RETURN r.month AS m ORDER BY m")
    assert [r["m"] for r in months] == ["2023-03-01", "2023-04-01"]
    # March again, now without P-02 and with another figure for P-01: the month is replaced whole.
    again = progress(tmp_path, "2023年3月进度.csv", [["P-01", "一号项目", "2023-03", 120, 320, 920, "2022-03-05", "主体施工", ""]])
    result = load_files(projects, [again])
    seen = {(c.status, c.id) for c in result.changes if c.label == "Progress"}
    assert seen == {("changed", "P-01@2023-03"), ("pruned", "P-02@2023-03")}
    changed = next(c for c in result.changes if c.id == "P-01@2023-03")
    assert ("ytd_wan", 300, 320) in [(f, o, n) for f, o, n in changed.fields]
    assert node(projects, "Progress", "P-02@2023-03") == {}
    assert node(projects, "Progress", "P-01@2023-04")["ytd_wan"] == 400  # April untouched


def rejected(backend, *paths, **options) -> list[str]:
    before = backend.read("MATCH (n) RETURN count(n) AS n")[0]["n"]
    with pytest.raises(LoadRejected) as info:
        load_files(backend, list(paths), **options)
    assert backend.read("MATCH (n) RETURN count(n) AS n")[0]["n"] == before  # nothing written
    return [str(p) for p in info.value.problems if p.is_error]


def test_bad_progress_rows_are_located_problems_and_nothing_is_written(projects, tmp_path):
    bad = progress(tmp_path, "2023年5月进度.csv", [
        ["P-01", "一号项目", "2023-05", -5, 300, 900, "2022-03-05", "", ""],     # row 2: negative
        ["P-02", "二号项目", "2023-05", "若干", 0, 0, "", "", ""],               # row 3: not a number
        ["P-03", "三号项目", "2023-05", 0, 0, 0, "2023-06-02", "", ""],          # row 4: start after the month
        ["P-03", "三号项目", "2023-05", 0, 0, 0, "", "", ""],                    # row 5: listed twice
        ["P-99", "不存在", "2023-05", 0, 0, 0, "", "", ""],                      # row 6: unknown project
        ["P-01", "一号项目", "2023-04", 0, 100, 0, "", "", ""],                  # row 7: not the file's month
    ])
    errors = rejected(projects, bad)
    joined = "\n".join(errors)
    assert "row 2, column D (本月完成投资(万元)): 本月完成投资(万元) is negative (-5)" in joined
    assert "row 3, column D (本月完成投资(万元)): '若干' is not a number" in joined
    assert "row 4, column G (实际开工时间): 实际开工时间 2023-06-02 is after the 统计月份 2023-05" in joined
    assert "row 5: duplicate Progress id 'P-03@2023-05': already given in row 4" in joined
    assert "row 6, column A (项目编号): 项目编号 'P-99': no Project with this id or name" in joined
    assert "row 7, column C (统计月份): 统计月份 2023-04 is not the file's month 2023-05 (named in the file name)" in joined


def test_a_month_in_the_future_is_an_error(projects, tmp_path):
    future = progress(tmp_path, "进度.csv", [["P-01", "一号项目", "2999-01", 0, 0, 0, "", "", ""]])
    assert any("统计月份 2999-01 is in the future" in e for e in rejected(projects, future))


def test_a_year_to_date_that_goes_down_is_a_warning_and_with_strict_an_error(projects, tmp_path):
    load_files(projects, [progress(tmp_path, "2023年3月进度.csv", [["P-01", "一号项目", "2023-03", 0, 300, 0, "", "", ""]])])
    april = progress(tmp_path, "2023年4月进度.csv", [["P-01", "一号项目", "2023-04", 0, 250, 0, "", "", ""]])
    errors = rejected(projects, april, strict=True)
    assert any("项目 P-01: 年度累计完成投资 goes down from 300 (2023-03) to 250 (2023-04)" in e for e in errors)
    result = load_files(projects, [april])
    assert any("goes down from 300 (2023-03) to 250 (2023-04)" in str(w) for w in result.warnings)


def test_a_year_to_date_is_compared_with_the_month_after_too(projects, tmp_path):
    load_files(projects, [progress(tmp_path, "2023年5月进度.csv", [["P-01", "一号项目", "2023-05", 0, 300, 0, "", "", ""]])])
    march = progress(tmp_path, "2023年4月进度.csv", [["P-01", "一号项目", "2023-04", 0, 350, 0, "", "", ""]])
    assert any("goes down from 350 (2023-04) to 300 (2023-05)" in e for e in rejected(projects, march, strict=True))
    # January starts a new year: December's figure is not compared with it.
    load_files(projects, [progress(tmp_path, "2022年12月进度.csv", [["P-01", "一号项目", "2022-12", 0, 900, 0, "", "", ""]])])
    january = progress(tmp_path, "2023年1月进度.csv", [["P-01", "一号项目", "2023-01", 0, 50, 0, "", "", ""]])
    assert not load_files(projects, [january], strict=True).warnings


def test_a_phased_plan_in_a_file_of_its_own_joins_the_years_plan(projects, tmp_path):
    load_files(projects, [write(tmp_path / "2023年重点项目计划.csv", ["项目编号", "项目名称", "2023年计划投资(万元)"],
                                [["P-01", "一号项目", 1200]])])
    phased = write(tmp_path / "2023年分月计划.csv", ["项目编号", *[f"{m}月计划投资(万元)" for m in range(1, 13)]],
                   [["P-01", *([100] * 12)]])
    load_files(projects, [phased])
    plan = node(projects, "Plan", "P-01@2023")
    assert plan["planned_wan"] == 1200 and plan["m01_wan"] == 100 and plan["m12_wan"] == 100
    # Without a year anywhere the plan cannot be placed: a located problem.
    nowhere = write(tmp_path / "分月计划.csv", ["项目编号", *[f"{m}月计划投资(万元)" for m in range(1, 13)]],
                    [["P-01", *([100] * 12)]])
    assert any("the plan's year is not given" in e for e in rejected(projects, nowhere))
