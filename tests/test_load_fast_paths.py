"""The loader's per-column fast paths against the general ones they stand in for, and JSON
objects in text columns. Pure functions except the last tests, which load through a database."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import unicodedata
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from portfolio_graph.loaders import LoadRejected, load_files
from portfolio_graph.loaders.fields import fold, fold_once
from portfolio_graph.loaders.normalize import NULL_TOKENS, CellError, check_text, clean_text, convert, converter, is_null
from portfolio_graph.loaders.read import _blank
from portfolio_graph.loaders.records import _end_text, split_refs

SCALE = float(os.environ.get("FUZZ_SCALE", "1"))
PURE_SETTINGS = settings(max_examples=int(400 * SCALE), deadline=None, database=None)

# (type, property, header unit): every converter the fast paths specialise, with and without units.
COLUMNS = [
    ("string", "name", None), ("string", "notes", None), ("string", "id", "万元"),
    ("float", "investment_yi", None), ("float", "investment_yi", "万元"), ("float", "investment_yi", "亿元"),
    ("float", "investment_yi", "元"), ("float", "area_mu", "公顷"), ("float", "area_ha", "亩"),
    ("float", "area_mu", "桶"), ("float", "target_value", None), ("float", "amount_wan", "亿"),
    ("int", "set_size", None), ("int", "year", None), ("int", "duration_months", "年"), ("int", "set_size", "万"),
    ("date", "start", None), ("date", "planned_end", "年"),
    ("list[string]", "tags", None), ("list[string]", "aliases", None),
    ("bool", "annual", None),
]

TRICKY_CELLS: list[Any] = [
    # numbers: plain, signed, full-width, grouped, with units, approximate, out of range
    "0", "7", "-0", "+3.5", "-2", "1.16", "1.50", "00012", ".5", "5.", "1.0", " 6 ", "1e3", "1E400", "0.1e-3",
    "１２３", "１．５亿", "５０００", "12\u3000345", "3 000", "3,000", "1，000", "１，２３４.５",
    "1.2万", "44.7亿", "3000万元", "约5亿", "1.2万余", "近3万", "5亿左右", "100+", "超过3亿", "12%",
    "3公顷", "15亩", "1000平方米", "2平方公里", "3个月", "2年", "2023年", "7千", "2万亿",
    "9223372036854775807", "9223372036854775808", "999999999999999999", "-999999999999999999",
    "1" * 39 + ".5", "1" * 41, "1.2.3", "abc", "NaN", "inf", "Infinity",
    # dates in several formats, good and bad
    "2023-09-01", "2023-9-1", "2023/9/1", "2023.9.1", "20230901", "2023年9月1日", "2023年9月", "2023-09",
    "2023年", "2023", "2023年底", "上半年", "2023上半年", "约2023年", "44000", "45200", "45000.5",
    "2023-09-01T10:00:00", "2023-09-01 10:00", "２０２３－０９－０１", "２０２３-０９-０１", "2023-13-01",
    "2023-02-30", "0000-01-01", "9999-12-31", "2023-00-10", " 2023-09-01 ", "2023\u300009\u300001", "明年",
    # empty markers and spaces
    "", " ", "\u3000", "\t", "无", " 无 ", "—", "——", "-", "--", "/", "\\", "暂无", "待定", "N/A", "na",
    "NULL", "None", "nan", "#N/A", "无无", "\u3000无\u3000",
    # text and lists with 、 and |
    "正常文本", "  前后空格  ", "全角\u3000空格", "多  个  空格", "tab\tinside", "line\nbreak", "ＡＢＣ",
    "a|b|c", "甲、乙、丙", "a,b", "a，b；c", "x | y | 无", "a||b", "—|a", "a、无、b", " a 、 b ", "单个",
    "规上", "链主", "全角　空格|b", "True", "是", "否", "√", "=1+1",
    # what a cell must not hold
    "a\x00b", "a\x07b", "\ud800", "x" * 100_001,
    # cells that are not text: workbooks and JSON
    None, 0, 7, -3, 2023, 45200, 2**63, 1.0, 2.5, -0.0, 1e20, 1e400, float("nan"), True, False,
    dt.date(2023, 9, 1), dt.datetime(2023, 9, 1), dt.datetime(2023, 9, 1, 10, 30),
    ["a", "b"], ["a", None, "无"], [], {"a": 1},
]


def outcome(call: Any) -> tuple[Any, ...]:
    """What a conversion gives, as comparable data: the value's repr and type, or the problem."""
    try:
        value, approx = call()
    except CellError as exc:
        return ("problem", str(exc), exc.fix)
    return ("value", repr(value), type(value).__name__, approx)


@pytest.mark.parametrize("prop_type, prop_name, unit", COLUMNS)
def test_column_converters_give_what_convert_gives_on_tricky_cells(prop_type, prop_name, unit):
    fast = converter(prop_type, prop_name, unit)
    for raw in TRICKY_CELLS:
        expected = outcome(lambda: convert(raw, prop_type, prop_name, unit))
        assert outcome(lambda: fast(raw)) == expected, (raw, prop_type, prop_name, unit)


PIECES = ["0", "1", "2", "9", "０", "１", "９", ".", "．", "-", "－", "+", "e", "E", ",", "，", "万", "亿", "元",
          "年", "月", "日", "份", "底", "亩", "公顷", "%", "约", "余", "/", " ", "\u3000", "\t", "|", "、", "无",
          "—", "a", "T", ":", "\x07", "2023", "2023-09-01", "09", "31"]
CELLS = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=8).map("".join),
    st.text(max_size=12),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.none(), st.booleans(), st.dates(),
)


@PURE_SETTINGS
@given(raw=CELLS, column=st.sampled_from(COLUMNS))
@example(raw="2023-02-29", column=("date", "start", None))
@example(raw="+000000000000000001", column=("int", "set_size", None))
def test_column_converters_give_what_convert_gives_on_any_cell(raw, column):
    prop_type, prop_name, unit = column
    expected = outcome(lambda: convert(raw, prop_type, prop_name, unit))
    assert outcome(lambda: converter(prop_type, prop_name, unit)(raw)) == expected


# The general forms the fast paths replaced, kept here as the reference they must agree with.
_REF_SPLIT = re.compile(r"[|、,，;；\n]+")


def split_refs_reference(raw: Any) -> list[str]:
    if is_null(raw):
        return []
    text = clean_text(raw)
    check_text(text)
    return [" ".join(part.split()) for part in _REF_SPLIT.split(text) if part.strip() and not is_null(part)]


def end_text_reference(raw: Any) -> str | None:
    if is_null(raw):
        return None
    text = clean_text(raw)
    check_text(text)
    return " ".join(text.split())


def blank_reference(cells: list[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def fold_reference(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text))).lower()


def refs_outcome(call: Any) -> tuple[Any, ...]:
    try:
        return ("value", call())
    except CellError as exc:
        return ("problem", str(exc), exc.fix)


REF_CELLS = [c for c in TRICKY_CELLS if not isinstance(c, (list, dict))] + [
    "南城北片区", " 南城北片区 ", "南城\u3000北片区", "南城北片区|莞城科技园片区", "A1、A2", "a,,b", "x;y；z",
    "E1|无|E2", "无|—", "|", "、", "P-01\n", "\nP-01"]


@pytest.mark.parametrize("raw", REF_CELLS)
def test_references_and_endpoints_split_as_the_general_path_does(raw):
    assert refs_outcome(lambda: split_refs(raw)) == refs_outcome(lambda: split_refs_reference(raw))
    assert refs_outcome(lambda: _end_text(raw)) == refs_outcome(lambda: end_text_reference(raw))


@PURE_SETTINGS
@given(raw=CELLS)
def test_references_and_endpoints_split_as_the_general_path_does_on_any_cell(raw):
    assert refs_outcome(lambda: split_refs(raw)) == refs_outcome(lambda: split_refs_reference(raw))
    assert refs_outcome(lambda: _end_text(raw)) == refs_outcome(lambda: end_text_reference(raw))


@PURE_SETTINGS
@given(cells=st.lists(st.one_of(st.none(), st.sampled_from(["", " ", "\u3000", "\t\n", "x", "无"]),
                                st.text(max_size=3), st.integers(), st.floats())))
def test_blank_rows_are_the_rows_of_empty_cells(cells):
    assert _blank(cells) == blank_reference(cells)


@PURE_SETTINGS
@given(text=st.text(max_size=12))
@example(text="总投资（万元）")
@example(text="项目\u3000编号\u2028\x85")
def test_fold_is_nfkc_without_whitespace_in_lower_case(text):
    assert fold_once(text) == fold(text) == fold_reference(text)


def test_null_tokens_are_short_enough_for_the_fast_paths():
    # The fast paths only look a cell up in NULL_TOKENS when it is shorter than 6 characters.
    assert max(map(len, NULL_TOKENS)) < 6


# -- JSON objects where text belongs ---------------------------------------------------------------

OBJECT_FIX = "write the value as text (a JSON string), not as an object {...}"


@pytest.mark.parametrize("suffix, row_word", [(".json", "item"), (".jsonl", "line")])
def test_a_json_object_in_a_text_column_is_a_located_problem(backend, tmp_path, suffix, row_word):
    items = [
        {"id": "OBJ-1", "name": "好项目", "notes": {"a": 1}},
        {"id": "OBJ-2", "name": {"zh": "名"}},
        {"id": "OBJ-3", "name": "别名项目", "aliases": ["甲", {"b": 2}]},
        {"id": "OBJ-4", "name": "片区项目", "所属片区": {"x": 1}},
        {"id": "OBJ-5", "name": "列表项目", "aliases": ["甲", "乙"]},
    ]
    path = tmp_path / f"项目{suffix}"
    if suffix == ".json":
        path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    else:
        path.write_text("\n".join(json.dumps(item, ensure_ascii=False) for item in items), encoding="utf-8")
    before = backend.read("MATCH (n:Project) WHERE n.id STARTS WITH 'OBJ-' RETURN count(n) AS n")
    with pytest.raises(LoadRejected) as caught:
        load_files(backend, [path])
    errors = [(p.file, p.row, p.row_word, p.column, p.message, p.fix) for p in caught.value.errors]
    assert errors == [
        (path, 1, row_word, "C (notes)", "expected text, got a JSON object \"{'a': 1}\"", OBJECT_FIX),
        (path, 2, row_word, "B (name)", "expected text, got a JSON object \"{'zh': '名'}\"", OBJECT_FIX),
        (path, 3, row_word, "D (aliases)", "expected text, got a JSON object \"{'b': 2}\"", OBJECT_FIX),
        (path, 4, row_word, "E (所属片区)", "expected text, got a JSON object \"{'x': 1}\"", OBJECT_FIX),
    ]
    assert str(caught.value.errors[0]).startswith(f"{path.name}, {row_word} 1, column C (notes): expected text")
    after = backend.read("MATCH (n:Project) WHERE n.id STARTS WITH 'OBJ-' RETURN count(n) AS n")
    assert after == before  # nothing written


def test_a_json_object_as_a_relationship_end_is_a_located_problem(backend, tmp_path):
    path = tmp_path / "关系.json"
    path.write_text(json.dumps([{"from_id": {"id": "P-1"}, "to_id": "P-2", "type": "DEPENDS_ON",
                                 "from_label": "Project", "to_label": "Project"}]), encoding="utf-8")
    with pytest.raises(LoadRejected) as caught:
        load_files(backend, [path])
    first = caught.value.errors[0]
    assert (first.row, first.column, first.message, first.fix) == (
        1, "A (from_id)", "expected text, got a JSON object \"{'id': 'P-1'}\"", OBJECT_FIX)


LIST_FIX = "write the value as text (a JSON string), not as a list [...]"


def test_a_json_list_where_one_text_belongs_is_a_located_problem_and_in_a_link_column_lists_refs(
        backend, tmp_path):
    from portfolio_graph.loaders.records import split_refs

    items = [
        {"id": "LST-1", "name": "好项目", "notes": ["a", "b"]},
        {"id": "LST-2", "name": "别名项目", "aliases": ["甲", ["乙"]]},
    ]
    path = tmp_path / "项目.json"
    path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(LoadRejected) as caught:
        load_files(backend, [path])
    errors = [(p.row, p.column, p.message, p.fix) for p in caught.value.errors]
    assert errors == [
        (1, "C (notes)", "expected one text, got a JSON list \"['a', 'b']\"", LIST_FIX),
        (2, "D (aliases)", "expected one text, got a JSON list \"['乙']\"", LIST_FIX),
    ]
    assert split_refs(["甲", "乙、丙", None, "无"]) == ["甲", "乙", "丙"]
    ends = tmp_path / "关系.json"
    ends.write_text(json.dumps([{"from_id": ["P-1", "P-2"], "to_id": "P-3", "type": "DEPENDS_ON",
                                 "from_label": "Project", "to_label": "Project"}]), encoding="utf-8")
    with pytest.raises(LoadRejected) as caught:
        load_files(backend, [ends])
    first = caught.value.errors[0]
    assert (first.row, first.column, first.message) == (
        1, "A (from_id)", "expected one text, got a JSON list \"['P-1', 'P-2']\"")
