"""Every column of every built-in report has a Chinese and an English title and a help line, and
the human formats head their columns with the titles of the chosen language."""

from __future__ import annotations

import csv
import io
import re

import pytest
from click.testing import CliRunner

from conftest import BACKEND_PARAMS, chinese
from portfolio_graph.cli import main
from portfolio_graph.output.columns import column_title, shown_columns
from portfolio_graph.reports import Registry
from portfolio_graph.reports.spec import parse_report_text
from portfolio_graph.sample import load_sample


@pytest.fixture(autouse=True)
def reader_language(monkeypatch):
    """Reports as readers get them: Chinese titles by default."""
    yield from chinese(monkeypatch)

BUILT_IN = list(Registry([]))
ID_LIKE = re.compile(r"(^|_)id$")


@pytest.mark.parametrize("spec", BUILT_IN, ids=lambda s: s.name)
def test_every_column_has_both_titles_and_a_help_line(spec):
    missing = [f"{c.name} lacks {', '.join(k for k in ('zh', 'en', 'help') if not getattr(c, k).strip())}"
               for c in spec.columns if not (c.zh.strip() and c.en.strip() and c.help.strip())]
    assert not missing, (
        f"{spec.path}: every column needs `key: {{zh: 中文标题, en: English title, help: \"one line\"}}`: "
        + "; ".join(missing))


@pytest.mark.parametrize("spec", BUILT_IN, ids=lambda s: s.name)
def test_id_columns_are_technical_and_titles_are_distinct(spec):
    untagged = [c.name for c in spec.columns if ID_LIKE.search(c.name) and not c.technical]
    assert not untagged, f"{spec.path}: id columns must say `technical: true`: {untagged}"
    for language in ("zh", "en"):
        titles = [column_title(c, language) for c in spec.columns]
        doubled = sorted({t for t in titles if titles.count(t) > 1})
        assert not doubled, f"{spec.path}: two columns share the {language} title {doubled}"
    assert all(re.search(r"[\u4e00-\u9fff]", c.zh) for c in spec.columns), "zh titles are Chinese"


def test_the_completeness_test_can_fail():
    spec = parse_report_text(
        "// name: bare\n// title: 裸 / Bare\n// description: x\n// columns:\n//   a: {zh: 甲, en: A, help: h}\n"
        "//   b: just a help line\nRETURN 1 AS a, 2 AS b\n")
    with pytest.raises(AssertionError, match="b lacks zh, en"):
        test_every_column_has_both_titles_and_a_help_line(spec)


def test_a_title_falls_back_to_the_other_language_then_the_key_and_carries_the_unit():
    spec = parse_report_text(
        "// name: t\n// title: 甲 / T\n// description: x\n// columns:\n"
        "//   money: {zh: 总投资, en: Investment, unit: 亿元, format: amount}\n//   only_zh: {zh: 仅中文}\n"
        "//   bare: plain help\nRETURN 1 AS money, 2 AS only_zh, 3 AS bare\n")
    money, only_zh, bare = spec.columns
    assert column_title(money, "zh") == "总投资(亿元)" and column_title(money, "en") == "Investment (100M yuan)"
    assert column_title(only_zh, "en") == "仅中文" and column_title(bare, "zh") == "bare"


def test_technical_columns_are_left_out_unless_asked():
    spec = Registry([]).get("goals-at-risk")
    assert "goal_id" not in shown_columns(spec.columns, None, with_ids=False)
    assert "goal_id" in shown_columns(spec.columns, None, with_ids=True)


@pytest.fixture(scope="module", params=BACKEND_PARAMS)
def location(request):
    """CLI connection arguments for an engine holding the sample portfolio."""
    backend = request.getfixturevalue(f"_{request.param}_backend")
    load_sample(backend, replace=True)
    if request.param == "falkordb":
        return ["--db", str(request.getfixturevalue("falkordb_path"))]
    return ["--uri", request.getfixturevalue("neo4j_server").uri]


@pytest.fixture(autouse=True)
def _language_from_the_test(monkeypatch):
    for name in ("PORTFOLIO_GRAPH_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE", "PORTFOLIO_GRAPH_REPORTS"):
        monkeypatch.delenv(name, raising=False)


def _run(location, *args, env=None):
    result = CliRunner().invoke(main, [*location, "report", "run", *args], env=env or {})
    assert result.exit_code == 0, result.output
    return result.output


def _csv_header(text):
    return next(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_csv_md_and_table_use_the_titles_of_the_chosen_language(location):
    zh = _csv_header(_run(location, "goals-at-risk", "--format", "csv", env={"PORTFOLIO_GRAPH_LANG": ""}))
    assert zh[:3] == ["目标", "年份", "目标值"] and "风险项目占比" in zh and "目标编号" not in zh
    en = _csv_header(_run(location, "goals-at-risk", "--format", "csv", "--lang", "en"))
    assert en[:3] == ["Goal", "Year", "Target"] and "Share at risk" in en
    by_env = _csv_header(_run(location, "goals-at-risk", "--format", "csv", env={"PORTFOLIO_GRAPH_LANG": "en"}))
    assert by_env == en
    by_locale = _csv_header(_run(location, "goals-at-risk", "--format", "csv",
                                 env={"PORTFOLIO_GRAPH_LANG": "", "LC_ALL": "en_US.UTF-8"}))
    assert by_locale == en
    assert "| 产业链 | 链主 | 环节序号 |" in _run(location, "chain-completeness", "--format", "md", "--lang", "zh")
    table = _run(location, "goal-tracker", "--lang", "en")
    assert "Goal tracker" in table and "Progress" in table and "progress_pct" not in table


def test_keys_json_and_with_ids_keep_what_programs_need(location):
    keys = _csv_header(_run(location, "goals-at-risk", "--format", "csv", "--keys"))
    assert keys[:3] == ["goal", "goal_id", "year"]
    with_ids = _csv_header(_run(location, "goals-at-risk", "--format", "csv", "--with-ids"))
    assert with_ids[:2] == ["目标", "目标编号"]
    every = _csv_header(_run(location, "goals-at-risk", "--format", "csv", "-c", "all"))
    assert "目标编号" in every
    assert '"goal_id"' in _run(location, "goals-at-risk", "--format", "json", "--lang", "zh")
