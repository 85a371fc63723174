"""Hostile text through every read-side parameter: ``query -p``, every parameter of every built-in
report (command line and Python), ``analyze delay``/``--chain``, ``analyze export --query -p``.

The graph holds the sample portfolio plus a Project, a Chain and a Parcel (whose land status is
the text) for each hostile string, so a parameter that is treated as data finds exactly its node:
the output shows the literal text. After every test a full snapshot of the graph (every node's and
relationship's properties) equals the one taken before. Where a value is invalid the command
exits 2 with a message naming the parameter, the same on both engines; never a traceback, never
exit 1.
"""

from __future__ import annotations

import json
import math

import pytest

from conftest import BACKEND_PARAMS
from portfolio_graph.portfolio import Portfolio
from portfolio_graph.graph import GraphBatch
from portfolio_graph.reports import ReportError, Registry
from test_hostile_support import HOSTILE, NUL, SURROGATE, TEN_MB, cli, location_of, run_cli_process, snapshot
from support.sample import ensure_sample

KEYS = list(HOSTILE)
BUILTIN = list(Registry())
REPORT_PARAMS = [(spec.name, param.name) for spec in BUILTIN for param in spec.params]
HOSTILE_LABELS = {"Project", "Chain"}  # what the hostile nodes are; a ref to these finds them
PARCEL = "黄旗南片区存量产业空间"  # a sample parcel, for reports that need another parameter
PROJECT = "火炼树旧改"  # a sample project, for trend, which needs a project or a goal
# Text parameters whose value must name a month or a rule profile: hostile text is refused (exit 2).
NAMING_TEXT = {"as_of", "profile"}


def hostile_batch() -> GraphBatch:
    batch = GraphBatch()
    for key, text in HOSTILE.items():
        batch.add_node("Project", {"id": f"HP-{key}", "name": text, "status": "在建", "investment_yi": 1.5,
                                   "planned_end": "2026-06-30", "duration_months": 6})
        batch.add_node("Chain", {"id": f"HC-{key}", "name": text})
        batch.add_node("Parcel", {"id": f"HL-{key}", "name": f"地块 {key}", "land_status": text})
    return batch


@pytest.fixture(scope="module", params=BACKEND_PARAMS)
def graph(request):
    """(backend, CLI location, snapshot before) for an engine holding the sample and the hostile nodes."""
    backend = ensure_sample(request.param, request.getfixturevalue(f"_{request.param}_backend"))
    backend.upsert(hostile_batch())
    before = snapshot(backend)
    yield backend, location_of(request, request.param), before
    assert snapshot(backend) == before


def unchanged(graph) -> None:
    backend, _, before = graph
    assert snapshot(backend) == before, "the graph changed"


# -- query -p ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("write", [False, True], ids=["read", "write-mode"])
def test_a_query_parameter_is_data_even_in_write_mode(graph, key, write):
    backend, location, _ = graph
    text = HOSTILE[key]
    result = cli(location, "query", "MATCH (p:Project) WHERE p.name = $v RETURN p.id AS id, p.name AS name, $v AS echo",
                 "-p", f"v={text}", "--format", "json", *(["--write"] if write else []))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [{"id": f"HP-{key}", "name": text, "echo": text}]
    unchanged(graph)


@pytest.mark.parametrize("key", KEYS)
def test_a_hostile_parameter_name_is_refused_or_unused(graph, key):
    _, location, _ = graph
    result = cli(location, "query", "RETURN 1 AS one", "-p", f"{HOSTILE[key]}=1", "--format", "json")
    # Neo4j takes any name; FalkorDB cannot take a backtick in one and says so (exit 1).
    assert result.exit_code in (0, 1, 2), result.output
    if result.exit_code == 0:
        assert json.loads(result.stdout) == [{"one": 1}]
    unchanged(graph)


@pytest.mark.parametrize("value, message", [
    (NUL, "contains a NUL byte"),
    (SURROGATE, "is not valid UTF-8 text"),
    ("1e400", "is too large a number"),
    ("99999999999999999999", "is too large a number"),
])
def test_query_parameters_the_engines_cannot_take_alike_exit_2(graph, value, message):
    _, location, _ = graph
    result = cli(location, "query", "RETURN $v AS v", "-p", f"v={value}", "--format", "json")
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    unchanged(graph)


def test_ten_megabytes_of_query_parameter_come_back_whole(graph):
    _, location, _ = graph
    result = cli(location, "query", "RETURN size($v) AS n, $v = $w AS same", "-p", f"v={TEN_MB}", "-p", f"w={TEN_MB}",
                 "--format", "json")
    assert result.exit_code == 0, result.output[:500]
    assert json.loads(result.stdout) == [{"n": len(TEN_MB), "same": True}]
    unchanged(graph)


def test_nan_and_infinity_stay_words(graph):
    _, location, _ = graph
    result = cli(location, "query", "RETURN $a AS a, $b AS b", "-p", "a=NaN", "-p", "b=-Infinity", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [{"a": "NaN", "b": "-Infinity"}]


def test_a_real_process_passes_every_hostile_value_through_argv(graph):
    """The real argv path: every value in one run, and bytes that are not UTF-8 refused with exit 2."""
    _, location, _ = graph
    params = [arg for i, text in enumerate(HOSTILE.values()) for arg in ("-p", f"v{i}={text}")]
    returned = ", ".join(f"$v{i} AS v{i}" for i in range(len(HOSTILE)))
    result = run_cli_process(location, "query", f"RETURN {returned}", *params, "--format", "json")
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    assert json.loads(result.stdout) == [{f"v{i}": text for i, text in enumerate(HOSTILE.values())}]
    undecodable = run_cli_process(location, "query", "RETURN $v AS v", "-p", b"v=a\xffb".decode("utf-8", "surrogateescape"))
    assert undecodable.returncode == 2
    assert b"is not valid UTF-8 text" in undecodable.stderr
    unchanged(graph)


# -- every parameter of every built-in report ---------------------------------------------------------


def _needed(report: str, param: str) -> dict[str, str]:
    """Parameters a report needs besides the one under test."""
    if report == "impact" and param != "of":
        return {"of": PARCEL}
    if report == "trend" and param not in ("project", "goal"):
        return {"project": PROJECT}
    return {}


def _other_params(report: str, param: str) -> list[str]:
    return [arg for key, value in _needed(report, param).items() for arg in ("-p", f"{key}={value}")]


def _expected_ok(report: str, param: str, text: str) -> bool:
    spec = Registry().get(report)
    p = spec.param(param)
    if p.type == "ref":
        # A ref that may name a Project or a Chain finds both hostile nodes of a text: ambiguous,
        # so it stops with "names more than one thing" (exit 2) like any shared name.
        return len(set(p.labels) & HOSTILE_LABELS) == 1 and text in HOSTILE.values()
    return p.type == "string" and not p.choices and param not in NAMING_TEXT


def _compared_with_data(report: str, param: str) -> bool:
    """A free text parameter the query compares with node properties (not a ref, not a choice)."""
    p = Registry().get(report).param(param)
    return p.type == "string" and not p.choices and param not in NAMING_TEXT


@pytest.mark.parametrize("report, param", REPORT_PARAMS)
def test_every_report_parameter_takes_hostile_text_as_data(graph, report, param):
    _, location, _ = graph
    for key, text in HOSTILE.items():
        result = cli(location, "report", "run", report, "-p", f"{param}={text}", *_other_params(report, param),
                     "--format", "json")
        if _expected_ok(report, param, text):
            assert result.exit_code == 0, (key, result.output)
            rows = json.loads(result.stdout)
            if (report, param) == ("parcel-status", "land_status"):
                assert [(r["parcel_id"], r["land_status"]) for r in rows] == [(f"HL-{key}", text)]
            if report == "chain-completeness" and param == "chain":  # a chain with no segments still has its row
                assert {r["chain"] for r in rows} == {text}
        else:
            assert result.exit_code == 2, (key, result.output)
            assert result.stderr.startswith(f"Error: parameter {param!r}"), (key, result.stderr)
    unchanged(graph)


@pytest.mark.parametrize("report, param", REPORT_PARAMS)
def test_values_the_engines_cannot_take_alike_exit_2_on_both(graph, report, param):
    _, location, _ = graph
    for value in (NUL, SURROGATE):
        result = cli(location, "report", "run", report, "-p", f"{param}={value}", *_other_params(report, param),
                     "--format", "json")
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith(f"Error: parameter {param!r}"), result.stderr
    result = cli(location, "report", "run", report, "-p", f"{param}={TEN_MB}", *_other_params(report, param),
                 "--format", "json")
    if _compared_with_data(report, param):  # 10 MB of text is a value no node has: no rows
        assert result.exit_code == 0 and json.loads(result.stdout) == []
    else:
        assert result.exit_code == 2, result.output[:300]
        assert result.stderr.startswith(f"Error: parameter {param!r}")
        assert len(result.stderr) < 2000, "the message shows the value cut, not 10 MB of it"
    unchanged(graph)


PYTHON_VALUES = [*HOSTILE.values(), NUL, SURROGATE, TEN_MB, {"a": "}) DETACH DELETE n //"}, ["x'}) DETACH DELETE n"],
                 float("nan"), float("inf"), 10**30, 10**400, b"x'}) DETACH DELETE n //", -1, 0, True]


@pytest.mark.parametrize("report, param", REPORT_PARAMS)
def test_every_report_parameter_from_python_gives_rows_or_a_parameter_error(graph, report, param):
    backend, _, _ = graph
    portfolio = Portfolio(backend)
    extra = _needed(report, param)
    for value in PYTHON_VALUES:
        try:
            frame = portfolio.report(report, **{param: value}, **extra)
        except ReportError as exc:  # ParameterError: the message names the parameter
            assert f"parameter {param!r}" in str(exc), (value if not isinstance(value, str) else value[:80], exc)
            assert len(str(exc)) < 2000
            continue
        if isinstance(value, str) and _expected_ok(report, param, value) and report == "chain-completeness":
            assert set(frame["chain"]) == {value}
        if isinstance(value, float) and not math.isfinite(value):
            pytest.fail(f"{report} took {param}={value!r}")
    unchanged(graph)


# -- analyze ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", KEYS)
def test_analyze_arguments_name_things_literally(graph, key, tmp_path):
    _, location, _ = graph
    text = HOSTILE[key]
    delay = cli(location, "analyze", "delay", text, "--months", "2", "--format", "json")
    assert delay.exit_code == 0, delay.output
    assert json.loads(delay.stdout)["slips"][0]["name"] == text
    chains = cli(location, "analyze", "chain-metrics", "--chain", text, "--format", "json")
    assert chains.exit_code == 0, chains.output
    assert [row["chain"] for row in json.loads(chains.stdout)["chains"]] == [text]
    for missing in (f"{text}#", f"#{text}"):
        for args in (["delay", missing, "--months", "2"], ["chain-metrics", "--chain", missing]):
            result = cli(location, "analyze", *args)
            assert result.exit_code == 2, result.output
            assert repr(missing.strip())[:60] in result.stderr
    out = tmp_path / "subgraph.json"
    exported = cli(location, "analyze", "export", "-o", out, "--query", "MATCH (n) WHERE n.name = $v RETURN n",
                   "-p", f"v={text}")
    assert exported.exit_code == 0, exported.output
    nodes = json.loads(out.read_text(encoding="utf-8"))["nodes"]
    assert sorted((n["node_id"], n["name"]) for n in nodes) == [(f"HC-{key}", text), (f"HP-{key}", text)]
    graphml = cli(location, "analyze", "export", "-o", tmp_path / "subgraph.graphml", "--query",
                  "MATCH (n) WHERE n.name = $v RETURN n", "-p", f"v={text}")
    assert graphml.exit_code == 0, graphml.output
    unchanged(graph)


@pytest.mark.parametrize("value", [NUL, SURROGATE, TEN_MB], ids=["nul", "surrogate", "ten-mb"])
def test_analyze_arguments_the_engines_cannot_take_exit_2(graph, value, tmp_path):
    _, location, _ = graph
    for args in (["delay", value, "--months", "1"], ["chain-metrics", "--chain", value],
                 ["export", "-o", tmp_path / "x.json", "--query", "MATCH (n) WHERE n.name = $v RETURN n", "-p", f"v={value}"]):
        result = cli(location, "analyze", *args)
        if value is TEN_MB and args[0] == "export":
            assert result.exit_code == 0, result.output[:300]  # a valid, if long, text: no node has it
            continue
        assert result.exit_code == 2, result.output[:300]
        assert len(result.stderr) < 2000
    unchanged(graph)


class _EvilFloat(float):
    def __repr__(self) -> str:
        return "1 MATCH (n) DETACH DELETE n //"


class _EvilInt(int):
    def __repr__(self) -> str:
        return "1 MATCH (n) DETACH DELETE n //"


def test_python_values_are_sent_as_their_value_never_as_their_repr(graph):
    """A notebook passes numpy numbers from a DataFrame, enums, subclasses: each is its value."""
    import enum

    import numpy as np

    class Level(enum.IntEnum):
        CITY = 2

    backend, _, _ = graph
    portfolio = Portfolio(backend)
    for value, plain in [(np.float64(1.5), 1.5), (_EvilFloat(2.5), 2.5), (_EvilInt(3), 3), (Level.CITY, 2)]:
        for write in (False, True):
            rows = portfolio.rows("RETURN $v AS v, $v + 1 AS next", {"v": value}, write=write)
            assert rows == [{"v": plain, "next": plain + 1}]
    unchanged(graph)
