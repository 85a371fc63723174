"""kill -9 of ``portfolio-graph load`` in the middle of its write leaves the graph as it was, on
both engines; a load that committed survives a crash of the embedded server.

The loader is a real process loading 200,000 enterprise rows. It is killed only once the engine
shows it is writing: for FalkorDB its staging copy of the graph holds some but not all of the new
enterprises (so the final RENAME cannot have been sent); for Neo4j its transaction is running an
enterprise MERGE (the Load record and the commit come after every enterprise chunk). The loader
is frozen with SIGSTOP while this is checked, so the answer cannot change before the SIGKILL. No
timing is asserted.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
from pathlib import Path

import pytest

from portfolio_graph.graph import open_backend
from support.graph import counts
from test_hostile_support import (DEADLINE, checksum, cli_process, falkordb_staging_holds, freeze_mid_write,
                                  neo4j_writing, reaped, redis_of, run_cli_process, server_processes, snapshot,
                                  wait_until)

ROWS = 200_000
FIXTURES = Path(__file__).resolve().parent / "fixtures"
STAGING = "portfolio__staging__*"


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("big") / "企业名录.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["企业编号", "企业名称", "所属行业"])
        writer.writerows([f"E{i:06d}", f"企业{i}", "电子信息"] for i in range(ROWS))
    return path


def kill_mid_write(loader: subprocess.Popen, mid_write) -> None:
    freeze_mid_write(loader, mid_write)
    loader.send_signal(signal.SIGKILL)
    loader.wait(timeout=DEADLINE)
    assert loader.returncode == -signal.SIGKILL


# -- the embedded database ------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("server_too", [False, True], ids=["loader", "loader-and-server"])
def test_kill_9_of_the_loader_mid_write_leaves_the_embedded_graph_as_it_was(tmp_path, big_csv, server_too):
    db = tmp_path / "p.db"
    location = ["--db", str(db)]
    for base in ("areas.csv", "projects_v1.csv"):
        assert run_cli_process(location, "load", str(FIXTURES / base)).returncode == 0
    backend = open_backend(db=db)  # keeps the server up while the loader runs, as another user would
    try:
        before = snapshot(backend)
        before_counts = counts(backend)
        enterprises = backend.read("MATCH (e:Enterprise) RETURN count(e) AS n")[0]["n"]
        with reaped(cli_process(location, "load", str(big_csv), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)) as loader:
            kill_mid_write(loader, lambda: falkordb_staging_holds(db, "Enterprise", enterprises, ROWS))
        assert snapshot(backend) == before, "readers see the old graph after the kill"
        if server_too:
            state = json.loads((db / "server.json").read_text())
            for pid in (state["supervisor_pid"], state["server_pid"]):
                os.kill(pid, signal.SIGKILL)
    finally:
        backend.close()
    assert wait_until(lambda: not server_processes(db)), "the server outlived its last user"

    with open_backend(db=db) as reopened:  # a new server, from the append-only file
        after = snapshot(reopened)
        assert counts(reopened) == before_counts
        assert checksum(after) == checksum(before) and after == before
        # The next load works, and takes the dead writer's staging copy away.
        assert run_cli_process(location, "load", str(FIXTURES / "projects_v2.csv")).returncode == 0
        client = redis_of(db)
        assert client.keys(STAGING) == []
        client.close()
        assert len(reopened.read("MATCH (l:Load) RETURN l.id AS id")) == 3
        assert reopened.read("MATCH (e:Enterprise) RETURN count(e) AS n") == [{"n": enterprises}]


@pytest.mark.slow
def test_a_committed_load_survives_a_crash_of_the_embedded_server(tmp_path):
    db = tmp_path / "p.db"
    location = ["--db", str(db)]
    backend = open_backend(db=db)
    try:
        assert run_cli_process(location, "load", str(FIXTURES / "areas.csv")).returncode == 0
        assert run_cli_process(location, "load", str(FIXTURES / "projects_v1.csv")).returncode == 0
        committed = snapshot(backend)
        state = json.loads((db / "server.json").read_text())
        for pid in (state["server_pid"], state["supervisor_pid"]):
            os.kill(pid, signal.SIGKILL)  # no clean shutdown: only what was fsynced survives
    finally:
        backend.close()
    assert wait_until(lambda: not server_processes(db))
    with open_backend(db=db) as reopened:
        assert snapshot(reopened) == committed
        assert len(reopened.read("MATCH (l:Load) RETURN l.id AS id")) == 2


# -- Neo4j ------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_kill_9_of_the_loader_mid_write_leaves_neo4j_as_it_was(neo4j_server, _neo4j_backend, big_csv):
    backend = _neo4j_backend
    backend.clear()
    location = ["--uri", neo4j_server.uri]
    for base in ("areas.csv", "projects_v1.csv"):
        assert run_cli_process(location, "load", str(FIXTURES / base)).returncode == 0
    before = snapshot(backend)
    before_counts = counts(backend)
    with reaped(cli_process(location, "load", str(big_csv), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)) as loader:
        kill_mid_write(loader, lambda: neo4j_writing(backend, "Enterprise"))
    # The server drops the dead client's transaction; nothing of it was ever visible.
    assert wait_until(lambda: not neo4j_writing(backend, "Enterprise"))
    with open_backend(uri=neo4j_server.uri) as reopened:
        after = snapshot(reopened)
        assert counts(reopened) == before_counts
        assert checksum(after) == checksum(before) and after == before
    assert run_cli_process(location, "load", str(FIXTURES / "projects_v2.csv")).returncode == 0
    assert len(backend.read("MATCH (l:Load) RETURN l.id AS id")) == 3
    assert backend.read("MATCH (e:Enterprise) RETURN count(e) AS n") == [{"n": 0}]
