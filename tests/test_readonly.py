"""Read-only by default: ``query`` refuses writes unless ``--write`` is given, reports never write
(a user's report file that creates, deletes, sets or merges is refused however it is run), on
both engines, through the command line and through Python. The engine enforces it: FalkorDB
runs reads as GRAPH.RO_QUERY, Neo4j in READ access mode; both are checked on the wire here.
"""

from __future__ import annotations

import json
import logging
import textwrap
import threading
import time

import pytest
from redis import Redis

from portfolio_graph import ReadOnlyViolation, report
from portfolio_graph.graph import GraphBatch, RelRow
from portfolio_graph.portfolio import Portfolio
from portfolio_graph.reports.registry import REPORTS_ENV
from test_hostile_support import cli, run_cli_process, snapshot

# Writes both engines refuse in a read-only call, in the forms a query or a report might hide them.
WRITES = [
    "CREATE (:Project {id: 'w', name: 'w'})",
    "create (:Project {id: 'w', name: 'w'}) RETURN 1 AS n",
    "MERGE (p:Project {id: 'w'}) SET p.name = 'w' RETURN 1 AS n",
    "MATCH (p:Project) SET p.name = 'hacked' RETURN count(p) AS n",
    "MATCH (p:Project) SET p += {name: 'hacked'} RETURN count(p) AS n",
    "MATCH (p:Project) SET p:Hacked RETURN count(p) AS n",
    "MATCH (p:Project) REMOVE p.name RETURN count(p) AS n",
    "MATCH (p:Project) REMOVE p:Project RETURN count(p) AS n",
    "MATCH (n) DELETE n",
    "MATCH (n) DETACH DELETE n",
    "MATCH (n) /* hidden */ DETACH /* in comments */ DELETE n",
    "MATCH ()-[r]->() DELETE r",
    "UNWIND range(1, 3) AS i CREATE (:Project {id: toString(i), name: 'x'})",
    "FOREACH (x IN [1] | CREATE (:Project {id: 'fe', name: 'x'}))",
    "CALL { CREATE (:Project {id: 'sub', name: 'x'}) } RETURN 1 AS n",
    "MATCH (a:Project), (b:Project) CREATE (a)-[:DEPENDS_ON]->(b)",
    "RETURN 1 AS n UNION MATCH (n) DETACH DELETE n RETURN 1 AS n",
    "OPTIONAL MATCH (n) WITH n LIMIT 1 MERGE (:Project {id: 'opt', name: 'x'}) RETURN 1 AS n",
    "CREATE INDEX FOR (n:Hacked) ON (n.x)",
]
# Writes one engine refuses as a write and the other as unknown syntax or procedure.
ENGINE_SPECIFIC = [
    "CALL db.idx.fulltext.createNodeIndex('Project', 'name')",  # FalkorDB
    "CALL db.createLabel('Hacked')",  # Neo4j
    "CREATE CONSTRAINT FOR (n:Hacked) REQUIRE n.x IS UNIQUE",  # Neo4j 5 syntax
    "MATCH (n) RETURN count(n) AS n; MATCH (n) DETACH DELETE n",  # two statements: neither runs them
]


def seed(backend) -> list[str]:
    batch = GraphBatch()
    batch.add_node("Project", {"id": "P1", "name": "一"})
    batch.add_node("Project", {"id": "P2", "name": "二"})
    batch.add_node("Area", {"id": "A1", "name": "片区"})
    batch.add_rel("LOCATED_IN", RelRow("Project", "P1", "Area", "A1"))
    backend.upsert(batch)
    return snapshot(backend)


def schema_state(backend) -> list:
    if backend.name == "falkordb":
        rows = backend.read("CALL db.indexes() YIELD label, properties RETURN label, properties")
    else:
        rows = backend.read("SHOW INDEXES YIELD name RETURN name")
    return sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in rows)


@pytest.fixture(autouse=True)
def _no_env_reports(monkeypatch):
    monkeypatch.delenv(REPORTS_ENV, raising=False)


# -- query -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("cypher", WRITES)
def test_query_refuses_writes_without_the_flag(backend_location, cypher):
    backend, location = backend_location
    before, indexes = seed(backend), schema_state(backend)
    result = cli(location, "query", cypher, "--format", "json")
    assert result.exit_code == 1, result.output
    assert result.stderr == "Error: this query writes to the graph; it needs --write\n"
    assert snapshot(backend) == before and schema_state(backend) == indexes


@pytest.mark.parametrize("cypher", ENGINE_SPECIFIC)
def test_engine_specific_writes_are_refused_too(backend_location, cypher):
    backend, location = backend_location
    before, indexes = seed(backend), schema_state(backend)
    result = cli(location, "query", cypher)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: ")
    assert snapshot(backend) == before and schema_state(backend) == indexes


def test_query_writes_with_the_flag(backend_location):
    backend, location = backend_location
    seed(backend)
    result = cli(location, "query", "MATCH (p:Project {id: 'P1'}) SET p.name = $v RETURN p.name AS name",
                 "-p", "v=改名", "--write", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [{"name": "改名"}]


def test_python_queries_are_read_only_unless_asked(backend):
    before = seed(backend)
    portfolio = Portfolio(backend)
    for cypher in WRITES:
        with pytest.raises(ReadOnlyViolation):
            portfolio.rows(cypher)
        with pytest.raises(ReadOnlyViolation):
            portfolio.query(cypher)
        with pytest.raises(ReadOnlyViolation):
            backend.read(cypher)
    assert snapshot(backend) == before
    assert portfolio.rows("MATCH (p:Project {id: 'P2'}) DETACH DELETE p RETURN 1 AS ok", write=True) == [{"ok": 1}]
    assert len(snapshot(backend)) == len(before) - 1


# -- reports ---------------------------------------------------------------------------------------


def write_report(folder, name: str, cypher: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.cypher").write_text(
        f"// name: {name}\n// title: 写 / Writes\n// description: Tries to write.\n// columns:\n//   n: n\n{cypher}\n",
        encoding="utf-8",
    )


def writing_reports(folder) -> list[str]:
    names = []
    for index, cypher in enumerate(WRITES):
        name = f"writer-{index}"
        write_report(folder, name, cypher)
        names.append(name)
    # A user report that takes a built-in's name, to replace it with one that deletes.
    write_report(folder, "chain-completeness", "MATCH (n) DETACH DELETE n RETURN count(*) AS n")
    names.append("chain-completeness")
    return names


def test_a_report_that_writes_is_refused_on_the_command_line(backend_location, tmp_path):
    backend, location = backend_location
    before, indexes = seed(backend), schema_state(backend)
    folder = tmp_path / "reports"
    for name in writing_reports(folder):
        result = cli(location, "report", "run", name, "--reports-dir", folder, "--format", "json")
        assert result.exit_code == 1, (name, result.output)
        assert result.stderr.startswith(f"Error: report {name!r} ({folder / (name + '.cypher')}) tries to change "
                                        "the graph; reports only read"), result.stderr
        assert "--write" not in result.stderr.split(";")[0]
        asked = cli(location, "report", "run", name, "--reports-dir", folder, "--write")
        assert asked.exit_code == 2 and "No such option '--write'" in asked.stderr
    assert snapshot(backend) == before and schema_state(backend) == indexes


def test_a_report_that_writes_is_refused_from_python_and_from_the_environment(backend, tmp_path, monkeypatch):
    before = seed(backend)
    folder = tmp_path / "reports"
    portfolio = Portfolio(backend)
    for name in writing_reports(folder):
        with pytest.raises(ReadOnlyViolation, match=f"report {name!r} .* tries to change the graph"):
            report(name, portfolio=portfolio, reports_dir=folder)
        with pytest.raises(ReadOnlyViolation):
            portfolio.report(name, reports_dir=folder)
    monkeypatch.setenv(REPORTS_ENV, str(folder))
    with pytest.raises(ReadOnlyViolation):
        portfolio.report("writer-0")
    assert snapshot(backend) == before


def test_a_report_whose_variant_for_this_engine_writes_is_refused(backend_location, tmp_path):
    backend, location = backend_location
    before = seed(backend)
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "sneaky.cypher").write_text(textwrap.dedent("""\
        // name: sneaky
        // title: 变体 / Variants
        // description: One variant reads, the other writes.
        // columns:
        //   n: n
        // --- variant: falkordb
        MATCH (n) WHERE $lenient OR true DETACH DELETE n RETURN count(*) AS n
        // --- variant: neo4j
        MATCH (n) WITH count(n) AS c CREATE (:Project {id: 'x', name: 'x'}) RETURN c AS n
        """), encoding="utf-8")
    result = cli(location, "report", "run", "sneaky", "--reports-dir", folder)
    assert result.exit_code == 1 and "tries to change the graph" in result.stderr
    assert snapshot(backend) == before


def test_a_writing_report_in_a_real_process(backend_location, tmp_path):
    backend, location = backend_location
    before = seed(backend)
    folder = tmp_path / "reports"
    write_report(folder, "wipe", "MATCH (n) DETACH DELETE n RETURN count(*) AS n")
    result = run_cli_process(location, "report", "run", "wipe", "--reports-dir", str(folder))
    assert result.returncode == 1
    assert result.stderr.decode().startswith("Error: report 'wipe' (")
    assert snapshot(backend) == before


# -- the engine's own read-only mode, seen on the wire ------------------------------------------------


def test_falkordb_reads_are_sent_as_graph_ro_query(request, tmp_path):
    backend = request.getfixturevalue("_falkordb_backend")
    backend.clear()
    seed(backend)
    location = ["--db", str(request.getfixturevalue("falkordb_path"))]
    state = json.loads((request.getfixturevalue("falkordb_path") / "server.json").read_text())
    seen: list[str] = []
    ready = threading.Event()

    def monitor() -> None:
        with Redis(unix_socket_path=state["socket"]).monitor() as stream:
            ready.set()
            for command in stream.listen():
                seen.append(command["command"])
                if "STOP-MONITOR" in command["command"]:
                    return

    thread = threading.Thread(target=monitor, daemon=True)
    thread.start()
    assert ready.wait(30)
    time.sleep(0.2)
    assert cli(location, "report", "run", "integrity", "--format", "json").exit_code == 0
    assert cli(location, "query", "MATCH (p:Project) RETURN p.name AS name", "--format", "json").exit_code == 0
    assert cli(location, "query", "MATCH (n) DETACH DELETE n").exit_code == 1
    client = Redis(unix_socket_path=state["socket"])
    client.echo("STOP-MONITOR")
    client.close()
    thread.join(30)
    read_only = [c for c in seen if c.startswith("GRAPH.RO_QUERY ")]
    assert any("rel_endpoints" in c for c in read_only), "the report ran read-only"
    assert any("MATCH (p:Project) RETURN p.name AS name" in c for c in read_only), "the query ran read-only"
    assert any("DETACH DELETE" in c for c in read_only), "the refused write was sent read-only"
    assert not [c[:80] for c in seen if c.startswith(("GRAPH.QUERY", "GRAPH.DELETE", "GRAPH.COPY", "RENAME", "DEL"))]
    assert len(snapshot(backend)) > 0


def test_neo4j_reads_begin_in_read_access_mode(request, caplog):
    backend = request.getfixturevalue("_neo4j_backend")
    backend.clear()
    seed(backend)
    location = ["--uri", request.getfixturevalue("neo4j_server").uri]
    with caplog.at_level(logging.DEBUG, logger="neo4j"):
        assert cli(location, "report", "run", "integrity", "--format", "json").exit_code == 0
        assert cli(location, "query", "MATCH (n) DETACH DELETE n").exit_code == 1
    begins = [r.getMessage() for r in caplog.records if "C: BEGIN" in r.getMessage()]
    runs = [r.getMessage() for r in caplog.records if "C: RUN" in r.getMessage()]
    assert begins and all("'mode': 'r'" in line for line in begins), begins
    assert any("DETACH DELETE" in line for line in runs)
    assert len(snapshot(backend)) > 0
