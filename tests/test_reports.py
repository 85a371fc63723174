"""Report files, the registry and parameter checking: everything that needs no database."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from portfolio_graph.graph.schema import GOAL_COMPARATORS, PROJECT_STATUS_PHASE, SCHEMA
from portfolio_graph.reports import (
    ParameterError,
    Registry,
    ReportFileError,
    UnknownReport,
    get_report,
    list_reports,
)
from portfolio_graph.graph.schema import LAND_READY_STATUSES
from portfolio_graph.reports.params import check_params, check_value, system_params
from portfolio_graph.reports.registry import REPORTS_ENV, builtin_dir
from portfolio_graph.reports.runner import shape_rows, sort_key
from portfolio_graph.reports.spec import ENGINES, ParamSpec, parse_report_text

BUILT_IN = [
    "area-profile", "chain-completeness", "chain-members", "gap-candidates", "goal-coverage", "goal-tracker",
    "goals-at-risk", "impact", "integrity", "investment-rollup", "parcel-status", "policy-coverage", "policy-tree",
    "project-blockers", "project-profile", "schedule", "set-members", "trend",
]

MINIMAL = """// name: tiny
// title: 小报告 / Tiny
// description: A test report.
// params:
//   n: {type: int, default: 3, help: "a number"}
// columns:
//   x: the value
RETURN $n AS x
"""


@pytest.fixture(autouse=True)
def _no_env_reports(monkeypatch):
    monkeypatch.delenv(REPORTS_ENV, raising=False)


def test_the_ten_built_in_reports_parse_and_list_in_name_order():
    assert [spec.name for spec in list_reports()] == BUILT_IN
    assert Registry().problems == {}


@pytest.mark.parametrize("name", BUILT_IN)
def test_every_built_in_report_has_bilingual_title_description_and_columns(name):
    spec = get_report(name)
    assert re.search(r"[\u4e00-\u9fff]", spec.title_zh), spec.title
    assert re.fullmatch(r"[A-Za-z ()?'-]+", spec.title_en), spec.title
    assert len(spec.description) > 80
    assert spec.columns and all(c.help for c in spec.columns)
    assert set(spec.queries) == set(ENGINES)
    for column in spec.table_columns:
        assert column in spec.column_names


@pytest.mark.parametrize("name", BUILT_IN)
def test_every_returned_column_is_aliased_and_declared(name):
    """The RETURN clause names exactly the declared columns, each with AS (FalkorDB needs it)."""
    spec = get_report(name)
    for query in spec.queries.values():
        returned = query[query.rindex("RETURN"):]
        returned = returned.split("ORDER BY")[0]
        aliases = re.findall(r"\bAS\s+(\w+)", returned)
        assert aliases == spec.query_columns


@pytest.mark.parametrize("name", BUILT_IN)
def test_no_report_spells_the_schema_vocabulary(name):
    """Status words, land statuses and comparator words reach the Cypher only as parameters."""
    text = "\n".join(get_report(name).queries.values())
    for word in list(PROJECT_STATUS_PHASE) + list(LAND_READY_STATUSES) + list(GOAL_COMPARATORS):
        assert f"'{word}'" not in text, f"{name} hard-codes {word!r}"
    for forbidden in ("EXISTS {", "COUNT {", "=~", "datetime(", "duration.between"):
        assert forbidden not in text, f"{name} uses {forbidden}, which FalkorDB does not accept"


@pytest.mark.parametrize("name", BUILT_IN)
def test_pattern_comprehensions_in_one_clause_never_share_a_variable(name):
    """FalkorDB 4 returns wrong rows when two pattern comprehensions reuse a variable name."""
    text = "\n".join(get_report(name).queries.values())
    for clause in re.split(r"\b(?:WITH|RETURN|UNWIND)\b", text):
        names = []
        for pattern in re.findall(r"\[(\(.*?)\|", clause, re.S):
            # variables a comprehension introduces: labelled nodes and named relationships
            names += re.findall(r"\((\w+):", pattern) + re.findall(r"\[(\w+):", pattern)
        assert len(names) == len(set(names)), f"{name}: comprehension variables repeat: {names}"


def test_system_params_come_from_the_schema():
    params = system_params()
    assert sorted(params["status_done"]) == sorted(w for w, p in PROJECT_STATUS_PHASE.items() if p == "done")
    assert sorted(params["status_blocked"]) == ["受阻"]
    assert sorted(params["status_delayed"]) == ["延期"]
    assert sorted(params["comparator_double"]) == ["翻一番", "翻番"]
    assert sorted(params["comparator_gt"]) == ["突破", "超", "超过"]
    assert params["land_ready"] == ["出让", "已出让", "在用"]
    assert "IN_CHAIN:Enterprise>ChainSegment" in params["rel_endpoints"]
    assert len(params["rel_endpoints"]) == sum(len(r.endpoint_pairs) for r in SCHEMA.rel_types.values())
    assert params["schema_labels"] == list(SCHEMA.labels)
    assert "Load" in params["schema_labels"] and "Load" not in params["portfolio_labels"]
    assert "DemoRun" not in params["portfolio_labels"] and "Project" in params["portfolio_labels"]


# -- parameters -----------------------------------------------------------------------------


def test_parameters_get_their_declared_types_and_defaults():
    spec = get_report("goals-at-risk")
    assert check_params(spec, {}) == {
        "year": None, "threshold": 0.5, "at_risk_only": False, "include_indicators": False, "lenient": False,
        "as_of": None, "profile": "default",
    }
    assert check_params(spec, {"year": "2025", "threshold": "0.25", "at_risk_only": "yes", "lenient": "true"}) == {
        "year": 2025, "threshold": 0.25, "at_risk_only": True, "include_indicators": False, "lenient": True,
        "as_of": None, "profile": "default",
    }
    assert check_params(spec, {"year": 2025.0, "lenient": 1})["year"] == 2025


@pytest.mark.parametrize(
    "report, given, message",
    [
        ("goals-at-risk", {"year": "二〇二五"}, "parameter 'year': expected a whole number"),
        ("goals-at-risk", {"year": True}, "parameter 'year': expected a whole number, got a boolean"),
        ("goals-at-risk", {"threshold": "nan"}, "parameter 'threshold': expected a finite number"),
        ("goals-at-risk", {"threshold": "1.5"}, "parameter 'threshold': 1.5 is above the maximum 1"),
        ("goals-at-risk", {"at_risk_only": "maybe"}, "parameter 'at_risk_only': expected true or false"),
        ("goals-at-risk", {"lenient": "sometimes"}, "parameter 'lenient': expected true or false"),
        ("goals-at-risk", {"yaer": 2025}, "report 'goals-at-risk' has no parameter 'yaer'"),
        ("chain-completeness", {"status": "断链"}, "parameter 'status': '断链' is not one of 补链, 强链, 已覆盖, 延链, 无环节"),
        ("chain-completeness", {"chain": ["a"]}, "parameter 'chain': expected text"),
        ("impact", {}, "parameter 'of' is required"),
        ("impact", {"of": "x", "label": "Enterprise"}, "parameter 'label': 'Enterprise' is not one of Parcel, Project, Policy, Fund, Area, Chain, Goal"),
        ("impact", {"of": "x", "label": "Projekt"}, "parameter 'label': unknown label 'Projekt'"),
        ("project-blockers", {"max_depth": "0"}, "parameter 'max_depth': 0 is below the minimum 1"),
    ],
)
def test_a_bad_value_is_an_error_that_names_the_parameter(report, given, message):
    with pytest.raises(ParameterError) as caught:
        check_params(get_report(report), given)
    assert message in str(caught.value)


def test_a_parameter_error_is_a_value_error_so_the_cli_exits_2():
    assert issubclass(ParameterError, ValueError)
    assert issubclass(UnknownReport, ValueError)


def test_value_conversions():
    assert check_value(ParamSpec("d", "date"), "2023-05-31") == "2023-05-31"
    with pytest.raises(ParameterError, match="YYYY-MM-DD"):
        check_value(ParamSpec("d", "date"), "5月")
    assert check_value(ParamSpec("l", "list[string]"), "芯片设计、芯片软件, 封装技术") == ["芯片设计", "芯片软件", "封装技术"]
    assert check_value(ParamSpec("l", "list[string]"), '["a,b"]') == ["a,b"]
    assert check_value(ParamSpec("r", "rel_type"), "DEPENDS_ON") == "DEPENDS_ON"
    with pytest.raises(ParameterError, match="unknown relationship type 'DEPENDS'"):
        check_value(ParamSpec("r", "rel_type"), "DEPENDS")
    assert check_value(ParamSpec("s", "string"), "  ") is None
    assert check_value(ParamSpec("s", "string"), 2023) == "2023"
    assert check_value(ParamSpec("i", "int"), "null") is None


# -- files, folders and the registry --------------------------------------------------------


def test_unknown_report_lists_the_names():
    with pytest.raises(UnknownReport) as caught:
        get_report("chain-complete")
    assert "no report named 'chain-complete'" in str(caught.value)
    assert ", ".join(BUILT_IN) in str(caught.value)


def test_user_reports_come_from_a_folder_and_the_environment(tmp_path, monkeypatch):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "tiny.cypher").write_text(MINIMAL, encoding="utf-8")
    assert get_report("tiny", reports_dir=mine).origin == "--reports-dir"
    with pytest.raises(UnknownReport):
        get_report("tiny")
    monkeypatch.setenv(REPORTS_ENV, str(mine))
    assert get_report("tiny").origin == f"${REPORTS_ENV}"
    assert "tiny" in [s.name for s in list_reports()]


def test_a_user_report_of_the_same_name_replaces_the_built_in(tmp_path):
    text = MINIMAL.replace("name: tiny", "name: integrity")
    (tmp_path / "integrity.cypher").write_text(text, encoding="utf-8")
    spec = get_report("integrity", reports_dir=tmp_path)
    assert spec.origin == "--reports-dir" and spec.column_names == ["x"]


def test_a_broken_user_report_is_reported_and_the_others_still_work(tmp_path):
    (tmp_path / "broken.cypher").write_text("// name: broken\nRETURN 1 AS x\n", encoding="utf-8")
    registry = Registry(tmp_path)
    assert "broken" in registry.problems and "broken" not in registry.names
    assert registry.get("integrity").name == "integrity"
    with pytest.raises(ReportFileError, match="title"):
        registry.get("broken")


def test_a_missing_reports_folder_is_an_error(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        Registry(tmp_path / "nope")


@pytest.mark.parametrize(
    "text, message",
    [
        (MINIMAL.replace("// name: tiny", "// name: Tiny_Report"), "lower-case-with-dashes"),
        (MINIMAL.replace("小报告 / Tiny", "Tiny"), "中文标题 / English title"),
        (MINIMAL.replace("// description: A test report.\n", ""), "description"),
        (MINIMAL.replace("type: int, default: 3", "type: integer, default: 3"), "type 'integer' is not one of"),
        (MINIMAL.replace("default: 3", "default: three"), "default of parameter 'n'"),
        (MINIMAL.replace("//   n:", "//   lenient:"), "'lenient' must be a bool"),
        (MINIMAL.replace("//   n:", "//   status_done:"), "'status_done' is reserved"),
        (MINIMAL.replace("//   n:", "//   db:"), "'db' is reserved"),
        (MINIMAL.replace("{type: int,", "{type: ref, labels: [Projekt],"), "unknown label 'Projekt'"),
        (MINIMAL.replace("// columns:\n//   x: the value\n", ""), "columns"),
        (MINIMAL.replace("// title:", "// colour: red\n// title:"), "unknown header keys: colour"),
        (MINIMAL.replace("RETURN $n AS x\n", ""), "no Cypher"),
        (MINIMAL + "// --- variant: falkordb\nRETURN 1 AS x\n", "under a '// --- variant:' marker"),
        (MINIMAL.replace("RETURN $n AS x\n", "// --- variant: falkordb\nRETURN 1 AS x\n"), "missing: neo4j"),
        (MINIMAL.replace("RETURN $n AS x\n", "// --- variant: memgraph\nRETURN 1 AS x\n"), "unknown variant 'memgraph'"),
        (MINIMAL.replace("// params:", "// params: [\n// oops"), "not valid YAML"),
    ],
)
def test_a_malformed_report_file_says_what_is_wrong(text, message):
    with pytest.raises(ReportFileError) as caught:
        parse_report_text(text)
    assert message in str(caught.value)


def test_the_file_name_must_match_the_report_name(tmp_path):
    path = tmp_path / "other.cypher"
    path.write_text(MINIMAL, encoding="utf-8")
    with pytest.raises(ReportFileError, match="file name must be tiny.cypher"):
        Registry(tmp_path).get("other")


def test_per_engine_variants_are_kept_apart():
    text = MINIMAL.replace(
        "RETURN $n AS x\n",
        "// --- variant: falkordb\nRETURN 'f' AS x\n// --- variant: neo4j\nRETURN 'n' AS x\n",
    )
    spec = parse_report_text(text)
    assert spec.queries == {"falkordb": "RETURN 'f' AS x", "neo4j": "RETURN 'n' AS x"}
    assert spec.has_variants and "// --- variant: neo4j" in spec.cypher_text


def test_lists_are_sorted_in_one_place_unless_declared_ordered():
    spec = parse_report_text(MINIMAL.replace("//   x: the value", "//   x: a set\n//   path: {help: a path, ordered: true}"))
    rows = shape_rows(spec, [{"path": ["c", "a", "b"], "x": ["c", None, "a", 2]}])
    assert rows == [{"x": [2, "a", "c", None], "path": ["c", "a", "b"]}]
    assert list(rows[0]) == ["x", "path"]
    assert sorted([None, "b", 1, True], key=sort_key) == [1, True, "b", None]


def test_a_query_that_returns_other_columns_than_declared_is_a_report_error():
    spec = parse_report_text(MINIMAL)
    with pytest.raises(ValueError, match="returns columns y but declares x"):
        shape_rows(spec, [{"y": 1}])


def test_built_in_reports_are_package_data():
    assert builtin_dir().name == "cypher"
    assert sorted(p.stem for p in Path(builtin_dir()).glob("*.cypher")) == BUILT_IN
