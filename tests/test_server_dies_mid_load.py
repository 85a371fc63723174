"""The embedded server dying in the middle of a big load (a full disk, the OOM killer) is a clear
error without a traceback, the graph is as it was, and the next writer removes the staging copy
the dead write left (issue 19, finding 6). Deterministic: the loader is frozen (SIGSTOP) while
its staging copy is seen half-written, the server is killed, then the loader continues."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess

import pytest

from portfolio_graph.graph import open_backend
from test_hostile_support import (DEADLINE, cli_process, falkordb_staging_holds, freeze_mid_write, reaped,
                                  redis_of, run_cli_process, server_processes, wait_until)

ROWS = 60_000  # more than one query takes: written into a staging copy


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("big") / "企业名录.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["企业编号", "企业名称"])
        writer.writerows([f"E{i:06d}", f"企业{i}"] for i in range(ROWS))
    return path


@pytest.mark.slow
def test_a_server_killed_mid_load_gives_a_clear_error_and_the_next_writer_cleans_up(tmp_path, big_csv):
    db = tmp_path / "p.db"
    location = ["--db", str(db)]
    small = tmp_path / "项目.csv"
    small.write_text("项目编号,项目名称\nP-1,一号\n", encoding="utf-8")
    assert run_cli_process(location, "load", str(small)).returncode == 0
    with reaped(cli_process(location, "load", str(big_csv))) as loader:
        freeze_mid_write(loader, lambda: falkordb_staging_holds(db, "Enterprise", 0, ROWS))
        os.kill(json.loads((db / "server.json").read_text())["server_pid"], signal.SIGKILL)
        assert wait_until(lambda: not server_processes(db)), "the supervisor follows its server"
        os.kill(loader.pid, signal.SIGCONT)
        _, stderr = loader.communicate(timeout=DEADLINE)
    stderr = stderr.decode(errors="replace")
    assert loader.returncode == 1, stderr
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    assert "lost" in stderr and "database server" in stderr and "server.log" in stderr, stderr

    with open_backend(db=db) as backend:  # a new server, from the append-only file
        client = redis_of(db)
        try:
            left = client.keys("portfolio__staging__*")
        finally:
            client.close()
        assert backend.read("MATCH (e:Enterprise) RETURN count(e) AS n") == [{"n": 0}], "as it was"
        assert backend.read("MATCH (p:Project) RETURN p.id AS id") == [{"id": "P-1"}]
        assert backend.read("MATCH (l:Load) RETURN count(l) AS n") == [{"n": 1}]
        backend.write("CREATE (:Project {id: 'P-2', name: '二号'})")  # the next writer
        client = redis_of(db)
        try:
            assert client.keys("portfolio__staging__*") == []
        finally:
            client.close()
    assert left, "the dead write left its staging copy (the next writer is what removes it)"
    assert wait_until(lambda: not server_processes(db))
