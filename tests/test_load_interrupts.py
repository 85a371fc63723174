"""Ctrl-C and SIGTERM during a load say what the graph holds (issue 19, finding 3).

Deterministic: the test watches the embedded server's MONITOR stream and stops the server
(SIGSTOP) the moment the loader's query has reached it, so the loader is certainly waiting
inside that query when the signal comes; then the server is continued.
"""

from __future__ import annotations

import csv
import os
import signal
from pathlib import Path

import pytest

from portfolio_graph.graph import SCHEMA, open_backend
from portfolio_graph.loaders import history
from test_hostile_support import DEADLINE, cli_process, reaped, redis_of

ROWS = 4_000  # one query (at most 20,000 rows), and below the progress bar's threshold


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "p.db"


@pytest.fixture
def enterprises(tmp_path) -> Path:
    path = tmp_path / "企业名录.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["企业编号", "企业名称"])
        writer.writerows([f"E{i:05d}", f"企业{i}"] for i in range(ROWS))
    return path


def interrupt_when(db: Path, enterprises: Path, sig: int, seen) -> tuple[int, str]:
    """Run the load; when ``seen(command)`` first holds for a command the server received, stop
    the server, send ``sig`` to the loader, wait for its first line on stderr, continue the server.
    Returns the loader's exit code and stderr."""
    import json

    server_pid = json.loads((db / "server.json").read_text())["server_pid"]
    client = redis_of(db)
    try:
        with client.monitor() as monitor, reaped(cli_process(["--lang", "en", "--db", str(db)], "load",
                                                             str(enterprises))) as loader:
            for event in monitor.listen():
                if seen(event["command"]):
                    os.kill(server_pid, signal.SIGSTOP)
                    break
            try:
                loader.send_signal(sig)
                first = loader.stderr.readline().decode(errors="replace")
            finally:
                os.kill(server_pid, signal.SIGCONT)
            _, rest = loader.communicate(timeout=DEADLINE)
            return loader.returncode, first + rest.decode(errors="replace")
    finally:
        os.kill(server_pid, signal.SIGCONT)
        client.close()


def is_the_write(command: str) -> bool:
    return command.startswith("GRAPH.QUERY") and "`key`:\"load-" in command  # the one query with the Load node


def is_a_read(command: str) -> bool:
    return command.startswith("GRAPH.RO_QUERY")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupt_during_the_write_says_it_was_committed_with_the_load_id(db, enterprises, sig):
    with open_backend(db=db) as backend:  # keeps the server up for the test's own client
        backend.apply_schema(SCHEMA)
        code, stderr = interrupt_when(db, enterprises, sig, is_the_write)
        loads = history(backend)
        assert backend.read("MATCH (e:Enterprise) RETURN count(e) AS n") == [{"n": ROWS}]
    assert len(loads) == 1, "the write committed, as the server had it whole"
    assert code == 128 + sig, stderr
    assert "already been committed" in stderr and loads[0]["id"] in stderr, stderr
    assert "Aborted" not in stderr and "Traceback" not in stderr


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupt_before_the_write_says_nothing_was_written(db, enterprises, sig):
    with open_backend(db=db) as backend:
        backend.apply_schema(SCHEMA)
        code, stderr = interrupt_when(db, enterprises, sig, is_a_read)
        assert backend.read("MATCH (n) RETURN count(n) AS n") == [{"n": 0}]
        assert history(backend) == []
    assert code == 128 + sig, stderr
    assert "nothing was written" in stderr, stderr
    assert "Aborted" not in stderr and "Traceback" not in stderr
