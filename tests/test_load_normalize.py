"""Cell normalisation, header mapping and label inference: pure functions, no database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from portfolio_graph.graph.schema import SCHEMA
from portfolio_graph.loaders.fields import LINK_FIELDS, PROPERTY_WORDS, split_unit
from portfolio_graph.loaders.mapping import NODE, REL, LoadMapping, infer_target, plan_columns
from portfolio_graph.loaders.normalize import CellError, convert
from portfolio_graph.loaders.read import Table, read_tables

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.mark.parametrize("raw, prop, unit, expected", [
    ("约44.7亿", "investment_yi", None, (44.7, True)),
    ("44.7", "investment_yi", "亿元", (44.7, False)),
    ("3000万元", "investment_yi", None, (0.3, False)),
    ("12,000", "investment_yi", "万元", (1.2, False)),
    ("５０００", "investment_yi", "万元", (0.5, False)),  # full-width digits
    (" 6 ", "investment_yi", None, (6.0, False)),
    (2, "area_mu", "公顷", (30.0, False)),
    ("30亩", "area_ha", None, (2.0, False)),
    ("1.2平方公里", "area_ha", None, (120.0, False)),
    ("1.2万", "target_value", None, (12000.0, False)),
    ("1.2万余", "target_value", None, (12000.0, True)),
    ("5000", "amount_wan", None, (5000.0, False)),
    ("3亿", "amount_wan", None, (30000.0, False)),
])
def test_numbers_convert_to_the_unit_the_property_name_says(raw, prop, unit, expected):
    assert convert(raw, "float", prop, unit) == expected


@pytest.mark.parametrize("raw, expected", [
    ("1.2万", (12000, False)), ("2023年", (2023, False)), (7.0, (7, False)), ("约30", (30, True)),
])
def test_counts(raw, expected):
    assert convert(raw, "int", "set_size") == expected


@pytest.mark.parametrize("raw, expected", [
    ("2023年9月", ("2023-09-01", False)),
    ("2023-09", ("2023-09-01", False)),
    ("2023/9/1", ("2023-09-01", False)),
    ("2023.9", ("2023-09-01", False)),
    ("2023.9.15", ("2023-09-15", False)),
    ("2023年9月15日", ("2023-09-15", False)),
    ("２０２３年３月", ("2023-03-01", False)),
    ("20230915", ("2023-09-15", False)),
    (45200, ("2023-10-01", False)),  # an Excel serial day number
    ("45200", ("2023-10-01", False)),
    (dt.datetime(2023, 3, 1, 0, 0), ("2023-03-01", False)),
    ("2025年底", ("2025-12-31", True)),
    ("2023-09-01T00:00:00", ("2023-09-01", False)),
])
def test_dates(raw, expected):
    assert convert(raw, "date", "start") == expected


@pytest.mark.parametrize("raw", ["2023-13-45", "明年", "2023-02-30", "Q3"])
def test_bad_dates_are_errors(raw):
    with pytest.raises(CellError):
        convert(raw, "date", "start")


@pytest.mark.parametrize("raw, prop_type", [("若干", "float"), ("1.5", "int"), ("5公顷", "float")])
def test_bad_numbers_are_errors(raw, prop_type):
    with pytest.raises(CellError):
        convert(raw, prop_type, "investment_yi" if prop_type == "float" else "set_size")


def test_text_lists_bools_and_empty_cells():
    assert convert("  利扬  芯片 ", "string", "name") == ("利扬 芯片", False)
    assert convert(20230001.0, "string", "id") == ("20230001", False)
    assert convert("链主、上市", "list[string]", "tags") == (["链主", "上市"], False)
    assert convert("是", "bool", "annual") == (True, False)
    assert convert("false", "bool", "annual") == (False, False)
    for empty in ("", "  ", "-", "—", "/", "无", "待定", None):
        assert convert(empty, "float", "investment_yi") == (None, False)


@pytest.mark.parametrize("raw", ["a\x00b", "a\x07b", "x" * 100_001])
def test_control_characters_and_huge_cells_are_errors(raw):
    with pytest.raises(CellError):
        convert(raw, "string", "name")


def test_header_units_split_after_full_width_brackets():
    assert split_unit("总投资（万元）") == ("总投资", "万元")
    assert split_unit(" 用地面积 (公顷) ") == ("用地面积", "公顷")
    assert split_unit("项目名称") == ("项目名称", None)


def test_the_header_table_only_names_schema_properties():
    names = {p.name for label in SCHEMA.labels.values() for p in label.all_properties}
    names |= {p.name for rel in SCHEMA.rel_types.values() for p in rel.all_properties}
    assert set(PROPERTY_WORDS) <= names
    assert not set(LINK_FIELDS) & names


def _table(headers, name="data.csv", sheet=None):
    return Table(Path(name), sheet, headers, 1, [])


@pytest.mark.parametrize("headers, file, sheet, expected", [
    (["id", "name"], "Project.csv", None, (NODE, "Project")),
    (["id", "name"], "projects.csv", None, (NODE, "Project")),
    (["编号", "名称"], "2023年重点项目清单.xlsx", "Sheet1", (NODE, "Project")),
    (["编号", "名称"], "book.xlsx", "企业", (NODE, "Enterprise")),
    (["from_label", "from_id"], "FUNDS.csv", None, (REL, "FUNDS")),
    (["编号", "名称"], "book.xlsx", "关系", (REL, None)),
    (["项目编号", "项目名称", "总投资(亿元)", "建设单位"], "list.csv", None, (NODE, "Project")),
    (["企业名称", "统一社会信用代码"], "list.csv", None, (NODE, "Enterprise")),
    (["起点编号", "终点编号", "关系类型"], "list.csv", None, (REL, None)),
])
def test_label_inference(headers, file, sheet, expected):
    assert infer_target(_table(headers, file, sheet), None, []) == expected


def test_ambiguous_tables_ask_for_label():
    problems = []
    assert infer_target(_table(["编号", "名称"], "list.csv"), None, problems) is None
    assert "--label" in problems[0].fix


def test_chinese_headers_map_to_fields_and_links():
    table = _table(["序号", "项目编号", "项目名称", "总投资(万元)", "建设状态", "所属片区", "责任单位", "计划开工",
                    "计划竣工", "统一社会信用代码", "所属产业链", "产业链环节", "项目级别", "用地面积(亩)", "奇怪列"])
    problems = []
    plan = plan_columns(table, NODE, "Project", LoadMapping(), False, problems)
    got = [(c.role, c.field, c.unit) for c in plan.columns]
    assert got == [
        ("ignore", "", None), ("property", "id", None), ("property", "name", None),
        ("property", "investment_yi", "万元"), ("property", "status", None), ("link", "area", None),
        ("link", "operator", None), ("property", "start", None), ("property", "planned_end", None),
        ("unknown", "", None), ("link", "chain", None), ("link", "segment", None),
        ("property", "level", None), ("property", "area_mu", "亩"), ("unknown", "", None),
    ]
    assert [p.severity for p in problems] == ["warning", "warning"]
    strict = []
    plan_columns(table, NODE, "Project", LoadMapping(), True, strict)
    assert [p.severity for p in strict] == ["error", "error"]


def test_title_row_merged_cells_and_blank_rows_in_a_workbook():
    problems = []
    from portfolio_graph.loaders.mapping import looks_like_header

    tables = read_tables(FIXTURES / "portfolio.xlsx", problems, is_header=looks_like_header)
    assert problems == []
    assert [t.sheet for t in tables] == ["项目", "企业", "片区", "产业链", "目标", "关系"]
    projects = tables[0]
    assert projects.header_row == 2
    rows = list(projects.rows)
    assert [number for number, _ in rows] == [3, 4, 6]
    assert [cells[4] for _, cells in rows] == ["主山片区", "主山片区", "同沙片区"]  # E3:E4 is merged
