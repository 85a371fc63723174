"""The embedded database's life: persistence, one server per folder, no orphans, crash safety."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import psutil
import pytest

from portfolio_graph.graph import GraphBatch, open_backend
from processes import redis_servers, server_processes, wait_until


def one_project(node_id: str) -> GraphBatch:
    batch = GraphBatch()
    batch.add_node("Project", {"id": node_id, "name": f"项目{node_id}"})
    return batch


def test_data_survives_close_and_reopen(tmp_path):
    db = tmp_path / "p.db"
    with open_backend(db=db) as backend:
        backend.upsert(one_project("P1"))
    assert wait_until(lambda: not server_processes(db)), "server should stop once nobody uses it"
    with open_backend(db=db) as backend:
        assert backend.read("MATCH (p:Project) RETURN p.name AS name") == [{"name": "项目P1"}]


def test_two_openers_share_one_server(tmp_path):
    db = tmp_path / "p.db"
    first = open_backend(db=db)
    second = open_backend(db=db)
    try:
        servers = redis_servers(db)
        assert len(servers) == 1
        first.upsert(one_project("P1"))
        assert second.read("MATCH (p:Project) RETURN p.id AS id") == [{"id": "P1"}]
        first.close()
        # The second user keeps working after the first leaves.
        time.sleep(1.5)
        assert second.read("MATCH (p:Project) RETURN count(p) AS n") == [{"n": 1}]
    finally:
        first.close()
        second.close()
    assert wait_until(lambda: not server_processes(db))


CHILD = textwrap.dedent(
    """
    import sys, time
    from portfolio_graph.graph import GraphBatch, open_backend
    backend = open_backend(db=sys.argv[1])
    batch = GraphBatch()
    batch.add_node("Project", {"id": "P-child", "name": "child"})
    backend.upsert(batch)
    print("WROTE", flush=True)
    time.sleep(600)
    """
)


def test_kill_9_of_the_user_leaves_no_server_behind_and_keeps_committed_data(tmp_path):
    db = tmp_path / "p.db"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(db)], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "WROTE"
    assert server_processes(db), "the child should have started a server"
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert wait_until(lambda: not server_processes(db)), "no orphaned redis-server after kill -9"
    with open_backend(db=db) as backend:
        assert backend.read("MATCH (p:Project) RETURN p.id AS id") == [{"id": "P-child"}]


def test_a_committed_write_survives_a_crash_of_the_server_itself(tmp_path):
    db = tmp_path / "p.db"
    backend = open_backend(db=db)
    try:
        backend.upsert(one_project("P1"))
        state = json.loads((db / "server.json").read_text())
        os.kill(state["server_pid"], signal.SIGKILL)
        assert wait_until(lambda: not psutil.pid_exists(state["server_pid"]) or
                          psutil.Process(state["server_pid"]).status() == psutil.STATUS_ZOMBIE)
    finally:
        backend.close()
    assert wait_until(lambda: not server_processes(db))
    with open_backend(db=db) as reopened:
        assert reopened.read("MATCH (p:Project) RETURN p.id AS id") == [{"id": "P1"}]


def test_killing_the_supervisor_takes_the_server_with_it(tmp_path):
    db = tmp_path / "p.db"
    backend = open_backend(db=db)
    try:
        state = json.loads((db / "server.json").read_text())
        os.kill(state["supervisor_pid"], signal.SIGKILL)
        assert wait_until(lambda: not psutil.pid_exists(state["server_pid"]) or
                          psutil.Process(state["server_pid"]).status() == psutil.STATUS_ZOMBIE)
    finally:
        backend.close()


def test_a_second_supervisor_refuses_a_folder_that_has_one(tmp_path):
    db = tmp_path / "p.db"
    with open_backend(db=db):
        result = subprocess.run(
            [sys.executable, "-m", "portfolio_graph.graph.embedded_server", str(db)],
            capture_output=True, text=True, timeout=30,
        )
        assert result.returncode == 1
        assert result.stdout.startswith("BUSY")
        assert len(redis_servers(db)) == 1


EXITING_SUPERVISOR = textwrap.dedent(
    """
    import fcntl, json, socket, sys, time
    from pathlib import Path

    db = Path(sys.argv[1])
    db.mkdir(parents=True)
    lock = open(db / "server.lock", "a+b")
    fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
    stale = db / "server.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.bind(str(stale))  # the file stays behind; nothing listens on it any more
    (db / "server.json").write_text(json.dumps({"socket": str(stale), "supervisor_pid": 0, "server_pid": 0}))
    print("HOLDING", flush=True)
    time.sleep(float(sys.argv[2]))
    """
)


def test_attaching_while_a_killed_supervisor_is_still_exiting_waits_for_it(tmp_path):
    # The window CI once hit: kill -9 of supervisor and server, then a reopen while the dying
    # supervisor still holds server.lock and its socket file is stale. Stretched here to a second.
    db = tmp_path / "p.db"
    holder = subprocess.Popen([sys.executable, "-c", EXITING_SUPERVISOR, str(db), "1.0"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "HOLDING"
        with open_backend(db=db) as backend:
            backend.upsert(one_project("P1"))
            assert backend.read("MATCH (p:Project) RETURN p.id AS id") == [{"id": "P1"}]
        assert holder.wait(timeout=30) == 0
    finally:
        holder.kill()


def test_append_only_persistence_is_configured(tmp_path):
    db = tmp_path / "p.db"
    with open_backend(db=db) as backend:
        backend.upsert(one_project("P1"))
        assert (db / "appendonly").is_dir()
        from redis import Redis

        state = json.loads((db / "server.json").read_text())
        client = Redis(unix_socket_path=state["socket"], decode_responses=True)
        assert client.config_get("appendonly") == {"appendonly": "yes"}
        assert client.config_get("appendfsync") == {"appendfsync": "always"}
        assert client.config_get("port") == {"port": "0"}
        client.close()


@pytest.mark.parametrize("kill_after", [0.3, 1.0])
def test_a_writer_killed_mid_batch_leaves_the_graph_as_it_was(tmp_path, kill_after):
    db = tmp_path / "p.db"
    with open_backend(db=db) as backend:
        backend.upsert(one_project("P-before"))
    big_writer = textwrap.dedent(
        """
        import sys
        from portfolio_graph.graph import GraphBatch, open_backend
        backend = open_backend(db=sys.argv[1])
        batch = GraphBatch()
        for i in range(300_000):
            batch.add_node("Enterprise", {"id": f"E{i}", "name": f"企业{i}"})
        print("START", flush=True)
        backend.upsert(batch)
        print("DONE", flush=True)
        """
    )
    child = subprocess.Popen([sys.executable, "-c", big_writer, str(db)], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "START"
    time.sleep(kill_after)
    child.send_signal(signal.SIGKILL)
    child.wait()
    with open_backend(db=db) as backend:
        counts = backend.read("MATCH (n) RETURN labels(n)[0] AS label, count(n) AS n ORDER BY label")
        assert counts == [{"label": "Project", "n": 1}]
