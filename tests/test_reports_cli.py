"""``portfolio-graph report list | show | run`` on the sample portfolio, on both backends."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser

import pytest

from conftest import BACKEND_PARAMS, chinese
from portfolio_graph.reports.registry import REPORTS_ENV
from support.cli import run
from support.sample import ensure_sample


@pytest.fixture(autouse=True)
def reader_language(monkeypatch):
    """Reports as readers get them: Chinese titles by default."""
    yield from chinese(monkeypatch)


@pytest.fixture(autouse=True)
def _no_env_reports(monkeypatch):
    monkeypatch.delenv(REPORTS_ENV, raising=False)


@pytest.fixture(scope="module", params=BACKEND_PARAMS)
def location(request):
    """CLI connection arguments for an engine holding the sample portfolio."""
    ensure_sample(request.param, request.getfixturevalue(f"_{request.param}_backend"))
    if request.param == "falkordb":
        return ["--db", str(request.getfixturevalue("falkordb_path"))]
    return ["--uri", request.getfixturevalue("neo4j_server").uri]


def test_chip_chain_gap_segments_as_json(location):
    result = run(["report", "run", "chain-completeness", "-p", "chain=芯片封装检测", "--format", "json"], location)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["segment"] for r in rows if r["status"] == "补链"] == ["芯片设计", "芯片软件", "封装技术", "芯片检测", "相关装备生产"]
    assert list(rows[0]) == ["chain", "anchor", "position", "segment", "template_segment", "stream", "enterprises",
                             "enterprise_count", "stated_count", "lenient_count", "status", "covered", "total",
                             "coverage_pct", "coverage_strict_pct", "coverage_lenient_pct"]
    lenient = run(["report", "run", "chain-completeness", "-p", "chain=芯片封装检测", "--lenient", "--format", "json"], location)
    lenient_rows = json.loads(lenient.output)
    assert [r["segment"] for r in lenient_rows if r["status"] == "补链"] == ["芯片设计", "芯片软件", "封装技术", "相关装备生产"]
    assert [(r["segment"], r["enterprises"]) for r in lenient_rows if r["status"] == "强链"] == [("芯片检测", ["利扬芯片"])]


def test_the_table_shows_the_usual_columns_aligned(location):
    result = run(["report", "run", "goals-at-risk", "-p", "year=2025", "--lenient", "--format", "table"], location)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    header = next(line for line in lines if "目标" in line and "风险等级" in line)
    assert "目标编号" not in header and "支撑方" not in header  # the report's table subset, no ids
    assert any("2025年电子信息工业总产值突破300亿元" in line and "高" in line for line in lines)
    from rich.cells import cell_len

    table_lines = [line for line in lines if line.startswith(("┃", "│", "┏", "└"))]
    assert len({cell_len(line) for line in table_lines}) == 1  # CJK text does not break the borders


def test_columns_option_picks_and_orders_columns(location):
    result = run(["report", "run", "goal-tracker", "-p", "year=2023", "-c", "goal_id,progress_pct", "--format", "csv"],
                 location)
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output.lstrip("\ufeff"))))
    assert rows[0] == ["目标编号", "完成进度"]  # a column asked for by name is shown, id or not
    assert ["G-2023-hitech", "89.7%"] in rows
    every = run(["report", "run", "goal-tracker", "-p", "year=2023", "-c", "all", "--format", "csv"], location)
    assert every.output.splitlines()[0].lstrip("\ufeff").split(",")[:7] == [
        "目标", "目标编号", "指标", "年份", "比较词", "目标值", "应达值"]
    bad = run(["report", "run", "goal-tracker", "-c", "goal,nope"], location)
    assert bad.exit_code == 2 and "--columns: nope not in report 'goal-tracker'" in bad.output


def test_what_blocks_a_project_and_what_depends_on_a_parcel(location):
    blockers = run(["report", "run", "project-blockers", "-p", "project=火炼树旧改", "--lenient", "--format", "json"], location)
    assert [(r["blocker"], r["path"]) for r in json.loads(blockers.output)] == [
        ("火炼树商住类更新单元项目", ["火炼树旧改", "火炼树商住类更新单元项目"])
    ]
    impact = run(["report", "run", "impact", "-p", "of=黄旗南片区存量产业空间", "--lenient", "--format", "json"], location)
    assert [(r["affected"], r["via"]) for r in json.loads(impact.output)] == [
        ("八一路、旗同大街沿线部分旧厂、旧村拆除或微改造", "USES_PARCEL"),
        ("黄旗南核心区", "DEPENDS_ON"),  # the core area waits on those works for its new space
    ]


@pytest.mark.parametrize(
    "args, message",
    [
        (["report", "run", "chain-complete"], "no report named 'chain-complete'; reports: area-profile, chain-completeness, chain-members"),
        (["report", "run", "goals-at-risk", "-p", "year=明年"], "parameter 'year': expected a whole number"),
        (["report", "run", "goals-at-risk", "-p", "years=2025"], "has no parameter 'years'"),
        (["report", "run", "goals-at-risk", "-p", "year"], "is not key=value"),
        (["report", "run", "impact"], "parameter 'of' is required"),
        (["report", "run", "impact", "-p", "of=x", "-p", "label=Projekt"], "unknown label 'Projekt'"),
        (["report", "run", "project-blockers", "-p", "project=不存在的项目"], "parameter 'project': no Project or Area or Chain or Goal or Parcel has"),
        (["report", "show", "nope"], "no report named 'nope'"),
    ],
)
def test_bad_input_exits_2_with_a_message(location, args, message):
    result = run(["--lang", "en", *args], location)
    assert result.exit_code == 2, result.output
    assert message in result.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["report", "run", "chain-complete"], "错误：没有名为 'chain-complete' 的报告；现有报告：area-profile, chain-completeness, chain-members"),
        (["report", "run", "goals-at-risk", "-p", "years=2025"], "报告 'goals-at-risk' 没有参数 'years'"),
        (["report", "run", "impact"], "参数 'of' 必须给出"),
        (["report", "run", "chain-completeness", "-p", "status=断链"], "参数 'status'：'断链' 不在可选值 补链, 强链"),
        (["report", "run", "chain-completeness", "-p", "chain=芯片封装"],
         "错误：参数 'chain'：没有编号、名称或别名为 '芯片封装' 的 Chain；相近的有：芯片封装检测"),
    ],
)
def test_bad_input_is_explained_in_chinese_by_default(location, args, message):
    result = run(args, location)
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_parameters_are_never_spliced_into_the_cypher(location):
    hostile = "x' OR 1=1 //"
    result = run(["report", "run", "parcel-status", "-p", f"land_status={hostile}", "--format", "json"], location)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == []


def test_list_and_show(location):
    listed = run(["report", "list", "--format", "json"])
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.output)
    assert [r["name"] for r in rows][:3] == ["area-profile", "chain-completeness", "chain-members"] and len(rows) == 18
    assert rows[1]["title"] == "产业链完整度" and rows[1]["title_en"] == "Chain completeness"
    shown = run(["report", "show", "chain-completeness"])
    assert shown.exit_code == 0
    assert "chain (name, alias or id of a Chain, default none)" in shown.output
    assert "lenient (bool, default false)" in shown.output and "MATCH (c:Chain)" in shown.output
    described = json.loads(run(["report", "show", "impact", "--format", "json"]).output)
    assert described["params"][0]["name"] == "of" and described["params"][0]["required"] is True


def test_a_user_report_from_a_folder(location, tmp_path, monkeypatch):
    (tmp_path / "segment-count.cypher").write_text(
        "// name: segment-count\n// title: 环节数 / Segment count\n// description: Segments per chain.\n"
        "// params:\n//   min: {type: int, default: 1, help: at least this many}\n"
        "// columns:\n//   chain: 产业链\n//   segments: 环节数\n"
        "MATCH (s:ChainSegment)-[:PART_OF]->(c:Chain)\nWITH c, count(s) AS n WHERE n >= $min\n"
        "RETURN c.name AS chain, n AS segments ORDER BY segments DESC, chain\n",
        encoding="utf-8",
    )
    result = run(["report", "run", "segment-count", "-p", "min=3", "--reports-dir", str(tmp_path), "--format", "json"], location)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [
        {"chain": "芯片封装检测", "segments": 5}, {"chain": "储能电池", "segments": 3}, {"chain": "孵化链条", "segments": 3},
    ]
    monkeypatch.setenv(REPORTS_ENV, str(tmp_path))
    listed = run(["report", "list", "--format", "json"])
    assert {"name": "segment-count", "origin": f"${REPORTS_ENV}"}.items() <= next(
        r for r in json.loads(listed.output) if r["name"] == "segment-count").items()


def test_a_user_report_cannot_write(location, tmp_path):
    (tmp_path / "sneaky.cypher").write_text(
        "// name: sneaky\n// title: 写 / Sneaky\n// description: Tries to write.\n// columns:\n//   n: n\n"
        "CREATE (p:Project {id: 'P-sneaky', name: 'sneaky'}) RETURN 1 AS n\n",
        encoding="utf-8",
    )
    result = run(["report", "run", "sneaky", "--reports-dir", str(tmp_path)], location)
    assert result.exit_code == 1
    assert "tries to change the graph; reports only read" in result.output
    check = run(["query", "MATCH (p:Project {id: 'P-sneaky'}) RETURN count(p) AS n", "--format", "json"], location)
    assert json.loads(check.output) == [{"n": 0}]


# -- files: xlsx, html, csv -------------------------------------------------------------------


def test_report_to_xlsx_file(location, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "goals.xlsx"
    result = run(["report", "run", "goals-at-risk", "-p", "year=2025", "--lenient", "--format", "xlsx", "-o", str(target)], location)
    assert result.exit_code == 0, result.output
    book = load_workbook(target)
    sheet = book["目标风险"]  # the report's title
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["目标", "年份", "目标值"] and "目标编号" not in header  # titles, no ids
    assert sheet["A1"].font.bold
    assert sheet["A2"].value == "2025年5大商圈社会消费总额超200亿元" and sheet["B2"].value == 2025
    assert book["说明"]["B1"].value == "goals-at-risk"
    assert "year=2025" in book["说明"]["B4"].value and "lenient=true" in book["说明"]["B4"].value


def test_report_to_html_file(location, tmp_path):
    target = tmp_path / "investment.html"
    result = run(["report", "run", "investment-rollup", "-p", "by=status", "--format", "html", "-o", str(target)], location)
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert "<script" not in text and "http" not in text.replace('http-equiv', '')
    assert "<h1>投资汇总</h1>" in text
    assert "签约" in text and text.count("<rect") == 14  # a bar per row: the total and 13 status words


def test_report_to_csv_has_a_bom(location):
    result = run(["report", "run", "parcel-status", "-p", "land_status=收储", "--format", "csv"], location)
    assert result.output.startswith("\ufeff地块,土地状态")
    rows = list(csv.DictReader(io.StringIO(result.output.lstrip("\ufeff"))))
    assert [r["地块"] for r in rows] == ["原海关划拨地块", "金标地块", "温塘文化中心"]


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)


def test_every_report_renders_as_html_and_xlsx(location, tmp_path):
    from openpyxl import load_workbook

    for name, params in [("chain-completeness", []), ("goal-tracker", []), ("integrity", []),
                         ("impact", ["-p", "of=战新产业项目支持", "--lenient"]), ("policy-coverage", [])]:
        html_file, xlsx_file = tmp_path / f"{name}.html", tmp_path / f"{name}.xlsx"
        assert run(["report", "run", name, *params, "--format", "html", "-o", str(html_file)], location).exit_code == 0
        assert run(["report", "run", name, *params, "--format", "xlsx", "-o", str(xlsx_file)], location).exit_code == 0
        parser = _Tags()
        parser.feed(html_file.read_text(encoding="utf-8"))
        assert "table" in parser.tags and "script" not in parser.tags and "link" not in parser.tags
        assert load_workbook(xlsx_file).worksheets[0].max_row > 1


def test_report_from_python_opens_the_database_it_is_given(location):
    from portfolio_graph import report

    where = {"db": location[1]} if location[0] == "--db" else {"uri": location[1]}
    frame = report("goal-tracker", year=2023, with_target=True, **where)
    hitech = frame.set_index("goal_id").loc["G-2023-hitech"]
    assert (hitech["actual_value"], hitech["progress_pct"], hitech["status"]) == (538, 89.7, "未达成")
    assert len(frame) == 10


def test_format_follows_the_output_suffix(location, tmp_path):
    target = tmp_path / "blockers.xlsx"
    assert run(["report", "run", "project-blockers", "-o", str(target)], location).exit_code == 0
    assert target.read_bytes()[:2] == b"PK"
    page = tmp_path / "blockers.html"
    assert run(["report", "run", "project-blockers", "-o", str(page)], location).exit_code == 0
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
