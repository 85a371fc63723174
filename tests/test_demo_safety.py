"""The demo never destroys data it did not write (both engines).

A user's own node survives `demo`; `--replace` replaces it; a second demo replaces the first
without asking; `$PORTFOLIO_GRAPH_DB` and `$NEO4J_URI` are never the demo's target.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from portfolio_graph.cli import main
from portfolio_graph.portfolio import Portfolio
from portfolio_graph.replace_guard import GraphNotEmpty, holds_only_the_demo
from portfolio_graph.sample import load_sample

MY_PROJECT = "MATCH (p:Project {id: 'MY-1'}) RETURN p.name AS name"


def invoke(args, **kwargs):
    return CliRunner().invoke(main, args, catch_exceptions=False, **kwargs)


@pytest.fixture
def my_csv(tmp_path):
    path = tmp_path / "my.csv"
    path.write_text("id,name\nMY-1,我的项目\n", encoding="utf-8")
    return path


def load_mine(location, my_csv):
    result = invoke([*location, "load", str(my_csv), "--label", "Project"])
    assert result.exit_code == 0, result.output


def test_a_users_node_survives_the_demo(backend_location, my_csv):
    backend, location = backend_location
    load_mine(location, my_csv)
    result = invoke([*location, "demo"])
    assert result.exit_code == 2, result.output
    assert "1 nodes (1 Project)" in result.output and "1 load(s)" in result.output and "--replace" in result.output
    assert "Nothing was changed" in result.output and "my.csv" in result.output
    assert backend.read(MY_PROJECT) == [{"name": "我的项目"}]


def test_replace_replaces_the_users_data(backend_location, my_csv):
    backend, location = backend_location
    load_mine(location, my_csv)
    extra = ["--yes"] if location[0] == "--uri" else []
    result = invoke([*location, "demo", "--replace", *extra])
    assert result.exit_code == 0, result.output
    assert backend.read(MY_PROJECT) == []
    assert backend.read("MATCH (p:Project) RETURN count(p) AS n") == [{"n": 101}]


def test_a_second_demo_replaces_the_first_without_asking(backend_location):
    backend, location = backend_location
    assert invoke([*location, "demo"]).exit_code == 0
    assert holds_only_the_demo(backend)
    again = invoke([*location, "demo"])
    assert again.exit_code == 0, again.output
    assert backend.read("MATCH (p:Project) RETURN count(p) AS n") == [{"n": 101}]


def test_a_demo_graph_edited_afterwards_is_not_the_demos_any_more(backend_location):
    backend, location = backend_location
    assert invoke([*location, "demo"]).exit_code == 0
    backend.write("MATCH (p:Project {name: '生益电子四期'}) SET p.notes = 'my own note'")
    result = invoke([*location, "demo"])
    assert result.exit_code == 2, result.output
    assert backend.read("MATCH (p:Project {name: '生益电子四期'}) RETURN p.notes AS n") == [{"n": "my own note"}]


def test_replace_on_neo4j_asks_for_the_database_name(_neo4j_backend, neo4j_server, my_csv):
    backend, location = _neo4j_backend, ["--uri", neo4j_server.uri]
    backend.clear()
    load_mine(location, my_csv)
    wrong = invoke([*location, "demo", "--replace"], input="other\n")
    assert wrong.exit_code == 2 and "not confirmed" in wrong.output
    assert backend.read(MY_PROJECT) == [{"name": "我的项目"}]
    typed = invoke([*location, "demo", "--replace"], input="neo4j\n")
    assert typed.exit_code == 0, typed.output
    assert backend.read(MY_PROJECT) == []


def test_the_demo_never_uses_the_environments_database(backend_location, my_csv, tmp_path):
    backend, location = backend_location
    load_mine(location, my_csv)
    env = {"XDG_DATA_HOME": str(tmp_path / "xdg")}
    env.update({"PORTFOLIO_GRAPH_DB": location[1]} if location[0] == "--db" else {"NEO4J_URI": location[1]})
    result = invoke(["demo"], env=env)
    assert result.exit_code == 0, result.output
    demo_db = tmp_path / "xdg" / "portfolio-graph" / "demo.db"
    assert str(demo_db) in result.output and f"--db {demo_db}" in result.output
    assert backend.read(MY_PROJECT) == [{"name": "我的项目"}]
    assert backend.read("MATCH (p:Project) RETURN count(p) AS n") == [{"n": 1}]
    with Portfolio.open(db=demo_db) as demo:
        assert demo.stats()["labels"]["Project"] == 101


def test_load_sample_refuses_a_users_graph(backend):
    backend.write("CREATE (:Project {id: 'MY-1', name: '我的项目'})")
    with pytest.raises(GraphNotEmpty, match="1 Project"):
        load_sample(backend)
    assert backend.read(MY_PROJECT) == [{"name": "我的项目"}]
    load_sample(backend, replace=True)
    assert backend.read(MY_PROJECT) == []
    load_sample(backend)  # a graph that holds only the sample is replaced without asking
