"""`portfolio-graph compact` shrinks the embedded database's append-only files after big writes
and deletes (issue 19, finding 4); on Neo4j it says it does not apply."""

from __future__ import annotations

from click.testing import CliRunner

from portfolio_graph.cli import main
from portfolio_graph.graph import GraphBatch, open_backend


def enterprises(n: int, tag: str) -> GraphBatch:
    batch = GraphBatch()
    for i in range(n):
        batch.add_node("Enterprise", {"id": f"E{i}", "name": f"企业{i}{tag}"})
    return batch


def test_compact_shrinks_the_files_and_keeps_the_graph(tmp_path):
    db = tmp_path / "p.db"
    with open_backend(db=db) as backend:
        backend.upsert(enterprises(30_000, "a"))  # staging writes: the increment grows with each
        backend.write("MATCH (e:Enterprise) WHERE e.id <> 'E1' DETACH DELETE e")
        backend.upsert(enterprises(25_000, "b"))
        backend.write("MATCH (e:Enterprise) WHERE e.id <> 'E1' DETACH DELETE e")
        result = CliRunner().invoke(main, ["--lang", "en", "--db", str(db), "compact"])
        assert result.exit_code == 0, result.output
        before, after = (int(n.replace(",", "")) for n in result.output.split(": ")[1].split(" bytes")[0].split(" -> "))
        assert after < before / 2, result.output
        assert backend.read("MATCH (e:Enterprise) RETURN e.id AS id, e.name AS name") == [{"id": "E1", "name": "企业1b"}]
    with open_backend(db=db) as reopened:  # from the compacted files
        assert reopened.read("MATCH (e:Enterprise) RETURN count(e) AS n") == [{"n": 1}]


def test_compact_on_neo4j_says_it_does_not_apply(neo4j_server):
    result = CliRunner().invoke(main, ["--lang", "en", "--uri", neo4j_server.uri, "compact"])
    assert result.exit_code == 2
    assert "embedded database" in result.output
