"""The query, stats, schema and info commands, on both backends, through click's CliRunner."""

from __future__ import annotations

import json


from portfolio_graph.graph import SCHEMA, GraphBatch, RelRow
from support.cli import run


def seed(backend) -> None:
    batch = GraphBatch()
    batch.add_node("Chain", {"id": "C1", "name": "芯片封装检测"})
    batch.add_node("Enterprise", {"id": "E1", "name": "利扬芯片"})
    batch.add_rel("ANCHORS", RelRow("Enterprise", "E1", "Chain", "C1"))
    backend.upsert(batch)


def test_query_json_is_a_list_of_row_objects(backend_location):
    backend, location = backend_location
    seed(backend)
    result = run(["query", "MATCH (e:Enterprise)-[:ANCHORS]->(c:Chain {name: $chain}) RETURN e.name AS `链主`, c.id AS id",
                  "-p", "chain=芯片封装检测", "--format", "json"], location)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [{"链主": "利扬芯片", "id": "C1"}]


def test_query_refuses_writes_without_the_flag(backend_location):
    backend, location = backend_location
    result = run(["query", "CREATE (:Project {id: 'x', name: 'x'})"], location)
    assert result.exit_code == 1
    assert "needs --write" in result.output
    assert backend.read("MATCH (n) RETURN count(n) AS n") == [{"n": 0}]
    allowed = run(["query", "CREATE (:Project {id: 'x', name: 'x'}) RETURN 1 AS ok", "--write", "--format", "json"], location)
    assert allowed.exit_code == 0, allowed.output
    assert backend.read("MATCH (n:Project) RETURN n.id AS id") == [{"id": "x"}]


def test_query_parameters_are_typed_and_never_spliced(backend_location):
    backend, location = backend_location
    seed(backend)
    result = run(["query", "RETURN $n + 1 AS n, $s AS s, $flag AS flag", "-p", "n=41", "-p", "s=x'}) DETACH DELETE n //",
                  "-p", "flag=true", "--format", "json"], location)
    assert json.loads(result.output) == [{"n": 42, "s": "x'}) DETACH DELETE n //", "flag": True}]
    assert backend.read("MATCH (n) RETURN count(n) AS n") == [{"n": 2}]


def test_a_malformed_parameter_exits_2(backend_location):
    _, location = backend_location
    result = run(["query", "RETURN 1 AS x", "-p", "novalue"], location)
    assert result.exit_code == 2
    assert "is not key=value" in result.output


def test_a_cypher_syntax_error_is_one_clear_line(backend_location):
    _, location = backend_location
    result = run(["query", "MATCH (n RETURN n"], location)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.output.startswith("Error: ")


def test_stats_counts_every_label_and_type(backend_location):
    backend, location = backend_location
    seed(backend)
    result = run(["stats", "--format", "json"], location)
    counts = json.loads(result.output)
    assert counts["labels"]["Chain"] == 1 and counts["labels"]["Enterprise"] == 1 and counts["labels"]["Project"] == 0
    assert counts["relationships"]["ANCHORS"] == 1
    assert set(counts["labels"]) == set(SCHEMA.portfolio_labels)
    assert set(counts["relationships"]) == set(SCHEMA.rel_types)


def test_stats_table_aligns_cjk_text(backend_location):
    backend, location = backend_location
    seed(backend)
    result = run(["query", "MATCH (c:Chain) RETURN c.name AS chain, 'x' AS ascii"], location)
    lines = [line for line in result.output.splitlines() if "│" in line]
    from rich.cells import cell_len

    assert len({cell_len(line) for line in lines}) == 1, result.output
    assert any("芯片封装检测" in line for line in lines)


def test_schema_json_comes_from_the_schema_module():
    result = run(["schema", "--format", "json"])
    described = json.loads(result.output)
    assert [label["name"] for label in described["labels"]] == list(SCHEMA.labels)
    depends = next(r for r in described["relationships"] if r["name"] == "DEPENDS_ON")
    assert depends["sources"] == ["Project", "Area", "Chain", "Goal"]
    assert depends["targets"] == ["Project", "Parcel", "Policy"] and depends["pairs"] == []
    part_of = next(r for r in described["relationships"] if r["name"] == "PART_OF")
    assert part_of["pairs"] == [["ChainSegment", "Chain"], ["Policy", "Policy"]]


def test_info_names_the_backend(backend_location):
    backend, location = backend_location
    result = run(["info"], location)
    assert f"backend: {backend.name}" in result.output


def test_the_cli_starts_without_importing_pandas_or_networkx():
    # They take about a second to import; every command, even --help, paid it before any work.
    # Only the commands that use them import them.
    import subprocess
    import sys

    probe = ("import sys, portfolio_graph.cli.app; "
             "print(sorted(m for m in ('pandas', 'networkx', 'numpy') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
