"""dump / restore / copy: the whole graph out of an engine and back, exact, on both engines.

Exact means the full snapshots agree: every node with its labels, every property with its type
(3.0 stays a float, [1.0, 2.5] a list of floats, '' a string), every relationship with its ends
and properties, the load history and provenance included.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from conftest import BACKEND_PARAMS
from portfolio_graph.cli import main
from portfolio_graph.graph import SCHEMA, open_backend
from portfolio_graph.loaders import load_files
from portfolio_graph.replace_guard import GraphNotEmpty
from portfolio_graph.sample import load_sample
from portfolio_graph.transfer import TransferError, copy_graph, dump, graph_digest, restore, snapshot


def invoke(args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def fill(backend, tmp_path):
    """The sample, a steward's load on top (a Load node, provenance), and values whose types a
    CSV could lose."""
    load_sample(backend)
    extra = tmp_path / "extra.csv"
    extra.write_text("id,name,investment_yi\nP-extra,加载的项目,2\n", encoding="utf-8")
    load_files(backend, [extra], label="Project")
    backend.write("MATCH (p:Project {id: 'P-extra'}) SET p.whole = 3.0, p.floats = [1.0, 2.5], p.blank = '', "
                  "p.flag = false, p.text_number = '007', p.newline = 'a\nb,\"c\"'")
    backend.write("MATCH (a:Project {id: 'P-extra'}), (b:Project {id: 'P-tongsha-ecommerce-hub'}) "
                  "CREATE (a)-[:DEPENDS_ON {weight: 0.1, inferred: true}]->(b)")
    return snapshot(backend)


def fresh_falkordb(path):
    backend = open_backend(db=path)
    backend.apply_schema(SCHEMA)
    return backend


def test_snapshot_keeps_types(backend, tmp_path):
    fill(backend, tmp_path)
    nodes = [json.loads(line) for line in snapshot(backend)["nodes"]]
    node = [props for labels, props in nodes if labels == ["Project"] and props["id"] == "P-extra"][0]
    assert type(node["whole"]) is float and node["floats"] == [1.0, 2.5] and type(node["floats"][0]) is float
    assert node["blank"] == "" and node["flag"] is False and node["text_number"] == "007"
    assert node["load_id"].startswith("load-") and node["source_file"].endswith("extra.csv")


def test_dump_and_restore_round_trip_exactly(backend, tmp_path):
    before = fill(backend, tmp_path)
    manifest = dump(backend, tmp_path / "dump")
    assert (tmp_path / "dump" / "nodes" / "Project.csv").is_file() and (tmp_path / "dump" / "rels" / "DEPENDS_ON.csv").is_file()
    assert manifest["digest"]["labels"]["Load"] >= 2 and manifest["files"]["nodes/Project.csv"]["columns"]["floats"] == "json"
    # Into a new embedded database ...
    other = fresh_falkordb(tmp_path / "other.db")
    try:
        restore(other, tmp_path / "dump")
        assert snapshot(other) == before
    finally:
        other.close()
    # ... and back into the engine it came from, which holds data: only with replace.
    backend.write("MATCH (p:Project {id: 'P-extra'}) SET p.name = '改过的'")
    with pytest.raises(GraphNotEmpty, match="--replace"):
        restore(backend, tmp_path / "dump")
    restore(backend, tmp_path / "dump", replace=True)
    assert snapshot(backend) == before


def test_a_changed_dump_is_refused_and_nothing_written(backend, tmp_path):
    fill(backend, tmp_path)
    dump(backend, tmp_path / "dump")
    backend.clear()
    path = tmp_path / "dump" / "nodes" / "Project.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("加载的项目", "别的名字"), encoding="utf-8")
    with pytest.raises(TransferError, match="does not match"):
        restore(backend, tmp_path / "dump")
    assert backend.read("MATCH (n) RETURN count(n) AS n")[0]["n"] == 0
    with pytest.raises(TransferError, match="not a portfolio-graph dump"):
        restore(backend, tmp_path)
    with pytest.raises(TransferError, match="not an empty folder"):
        dump(backend, tmp_path / "dump")


@pytest.mark.parametrize("direction", ["to-neo4j", "to-falkordb"])
def test_copy_between_engines_over_neo4j_routing(neo4j_server, _neo4j_backend, tmp_path, direction):
    routed = open_backend(uri=neo4j_server.uri.replace("bolt://", "neo4j://"))  # routing, on one server
    embedded = fresh_falkordb(tmp_path / "embedded.db")
    try:
        _neo4j_backend.clear()
        source, target = (embedded, routed) if direction == "to-neo4j" else (routed, embedded)
        before = fill(source, tmp_path)
        digest = copy_graph(source, target)
        assert snapshot(target) == before
        assert digest == graph_digest(source).to_dict() and sum(digest["labels"].values()) == len(before["nodes"])
        with pytest.raises(GraphNotEmpty):
            copy_graph(source, target)
        source.write("MATCH (p:Project {id: 'P-extra'}) SET p.name = '第二次'")
        copy_graph(source, target, replace=True)
        assert snapshot(target) == snapshot(source)
    finally:
        embedded.close()
        routed.close()
        _neo4j_backend.clear()


@pytest.mark.parametrize("engine", BACKEND_PARAMS)
def test_the_commands(request, engine, neo4j_server, tmp_path):
    backend = request.getfixturevalue(f"_{engine}_backend")
    backend.clear()
    location = ["--db", request.getfixturevalue("falkordb_path")] if engine == "falkordb" else ["--uri", neo4j_server.uri]
    before = fill(backend, tmp_path)
    result = invoke([*location, "dump", tmp_path / "d"])
    assert result.exit_code == 0 and "d" in result.output, result.output
    refused = invoke([*location, "restore", tmp_path / "d"])
    assert refused.exit_code == 2 and "--replace" in refused.output
    assert invoke([*location, "restore", tmp_path / "d", "--replace"]).exit_code == 0
    assert snapshot(backend) == before
    result = invoke([*location, "copy", "--to-db", tmp_path / "copy.db"])
    assert result.exit_code == 0, result.output
    copied = open_backend(db=tmp_path / "copy.db")
    try:
        assert snapshot(copied) == before
    finally:
        copied.close()
    assert invoke([*location, "copy"]).exit_code == 2
    backend.clear()
