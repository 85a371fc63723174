"""Files a planner can forward as they are: titles, values for readers, xlsx and html layout,
charts only where they say something, on both engines."""

from __future__ import annotations

import csv
import io
import re

import pytest
from click.testing import CliRunner

from conftest import BACKEND_PARAMS, chinese
from portfolio_graph.cli import main
from portfolio_graph.output import render
from portfolio_graph.sample import load_sample


@pytest.fixture(autouse=True)
def reader_language(monkeypatch):
    """Reports as readers get them: Chinese titles by default."""
    yield from chinese(monkeypatch)


@pytest.fixture(scope="module", params=BACKEND_PARAMS)
def location(request):
    """CLI connection arguments for an engine holding the sample portfolio."""
    backend = request.getfixturevalue(f"_{request.param}_backend")
    load_sample(backend, replace=True)
    if request.param == "falkordb":
        return ["--db", str(request.getfixturevalue("falkordb_path"))]
    return ["--uri", request.getfixturevalue("neo4j_server").uri]


def run(location, *args):
    result = CliRunner().invoke(main, [*location, "report", "run", *map(str, args)])
    assert result.exit_code == 0, result.output
    return result.output


def csv_rows(text):
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_goals_at_risk_xlsx_has_chinese_headers_real_numbers_and_no_id_column(location, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "x.xlsx"
    run(location, "goals-at-risk", "--lenient", "-o", target)
    book = load_workbook(target)
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["目标", "年份", "目标值", "单位"] and "风险项目占比" in header
    assert all(re.search(r"[\u4e00-\u9fff]", h) for h in header)
    assert "目标编号" not in header and not any("G-20" in str(c.value) for row in sheet.iter_rows() for c in row)
    share = header.index("风险项目占比") + 1
    cells = [sheet.cell(row=r, column=share) for r in range(2, sheet.max_row + 1)]
    numbers = [c for c in cells if c.value is not None]
    assert numbers and all(isinstance(c.value, (int, float)) and c.number_format == "0.0%" for c in numbers)
    assert max(c.value for c in numbers) == 1  # 100% is the share 1, not the number 100
    count = header.index("项目数") + 1
    assert all(isinstance(sheet.cell(row=r, column=count).value, int) for r in range(2, sheet.max_row + 1))
    assert sheet.freeze_panes == "B2"
    about = book["说明"]
    explained = {about.cell(row=r, column=1).value: about.cell(row=r, column=2).value for r in range(1, about.max_row + 1)}
    assert explained["风险项目占比"] == "share of projects at risk, in percent"
    wrapped = [c for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, str) and len(c.value) > 50]
    assert wrapped and all(c.alignment.wrap_text for c in wrapped)
    assert sheet.column_dimensions["A"].width >= 20  # goal names fit without wrapping per character


def test_amounts_with_their_unit_and_two_decimals(location, tmp_path):
    from openpyxl import load_workbook

    rows = csv_rows(run(location, "investment-rollup", "--format", "csv"))
    total = next(r for r in rows if r["汇总维度"] == "total")
    assert re.fullmatch(r"\d{1,3}(,\d{3})*\.\d\d", total["总投资(亿元)"]) and total["占比"] == "100.0%"
    target = tmp_path / "i.xlsx"
    run(location, "investment-rollup", "-o", target)
    sheet = load_workbook(target).worksheets[0]
    header = [c.value for c in sheet[1]]
    column = header.index("总投资(亿元)") + 1
    cell = sheet.cell(row=2, column=column)
    assert isinstance(cell.value, (int, float)) and cell.number_format == "#,##0.00"
    english = csv_rows(run(location, "investment-rollup", "--format", "csv", "--lang", "en"))
    assert "Investment (100M yuan)" in english[0]


def test_booleans_read_yes_or_no_and_empty_lists_are_blank(location):
    rows = csv_rows(run(location, "parcel-status", "--format", "csv"))
    assert {r["可供建设"] for r in rows} <= {"是", "否"} and "否" in {r["可供建设"] for r in rows}
    assert any(r["所在片区"] == "" for r in rows)  # an empty list, not "[]"
    english = csv_rows(run(location, "parcel-status", "--format", "csv", "--lang", "en"))
    assert {r["Ready to build"] for r in english} <= {"Yes", "No"}
    keys = csv_rows(run(location, "parcel-status", "--format", "csv", "--keys"))
    assert {r["ready"] for r in keys} <= {"true", "false"} and "parcel_id" in keys[0]


def test_charts_only_where_they_carry_information(location):
    strict = run(location, "chain-completeness", "--format", "html")
    assert "<svg" not in strict  # every segment has 0 stated enterprises: no chart of zeros
    lenient = run(location, "chain-completeness", "--format", "html", "--lenient")
    assert re.findall(r"<figcaption>([^<(]*)", lenient) == ["企业数"]
    goals = run(location, "goals-at-risk", "--format", "html", "--lenient", "-c", "all")
    captions = re.findall(r"<figcaption>([^<(]*)", goals)
    assert captions and not {"年份", "目标编号"} & set(c.strip() for c in captions)


def test_html_folds_long_lists_keeps_names_wide_and_prints_a4_landscape(location):
    page = run(location, "goals-at-risk", "--format", "html", "--lenient")
    assert re.search(r"<details><summary>\d+ 项</summary><ul>(<li>[^<]+</li>)+</ul></details>", page)
    assert "@page{size:A4 landscape" in page and "position:sticky;left:0" in page
    name_header = re.search(r'<th style="min-width:([\d.]+)em"[^>]*>目标</th>', page)
    assert name_header and float(name_header.group(1)) >= 8


def test_renderers_without_titles_keep_keys_and_raw_values():
    rows = [{"ok": True, "items": [], "share": 12.5}]
    assert render(rows, "csv").splitlines()[1] == "true,,12.5"
    meta = {"language": "zh", "titles": {"ok": "可用"}, "column_formats": {"share": {"format": "percent", "unit": ""}}}
    assert render(rows, "csv", meta=meta).splitlines()[:2] == ["\ufeff可用,items,share", "是,,12.5%"]
