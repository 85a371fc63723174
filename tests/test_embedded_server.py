"""The embedded database's life: persistence, one server per folder, no orphans, crash safety."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import psutil
import pytest

from portfolio_graph.graph import GraphBatch, open_backend
from processes import redis_servers, server_processes, wait_until


IDS = "MATCH (p:Project) RETURN p.id AS id"


def one_project(node_id: str) -> GraphBatch:
    batch = GraphBatch()
    batch.add_node("Project", {"id": node_id, "name": f"项目{node_id}"})
    return batch


@pytest.fixture
def db(tmp_path) -> Path:
    """A database folder that does not exist yet; each test opens it as it needs."""
    return tmp_path / "p.db"


def server_state(db: Path) -> dict[str, Any]:
    return json.loads((db / "server.json").read_text())


def is_gone(pid: int) -> bool:
    return not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE


def read_after_restart(db: Path, query: str, why: str | None = None) -> list[dict[str, Any]]:
    """What ``query`` reads once every server of ``db`` has stopped and a new one has started: what
    the files kept, not what a running server holds in memory."""
    assert wait_until(lambda: not server_processes(db)), why
    with open_backend(db=db) as backend:
        return backend.read(query)


def start_script(script: str, *args: Any, first_line: str) -> subprocess.Popen:
    """``python -c script args``, once it has printed ``first_line``; killed if it prints another."""
    child = subprocess.Popen([sys.executable, "-c", script, *map(str, args)], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == first_line
    except BaseException:
        child.kill()
        child.wait()
        raise
    return child


def test_data_survives_close_and_reopen(db):
    with open_backend(db=db) as backend:
        backend.upsert(one_project("P1"))
    assert read_after_restart(db, "MATCH (p:Project) RETURN p.name AS name",
                              "server should stop once nobody uses it") == [{"name": "项目P1"}]


def test_two_openers_share_one_server(db):
    first = open_backend(db=db)
    second = open_backend(db=db)
    try:
        servers = redis_servers(db)
        assert len(servers) == 1
        first.upsert(one_project("P1"))
        assert second.read(IDS) == [{"id": "P1"}]
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


def test_kill_9_of_the_user_leaves_no_server_behind_and_keeps_committed_data(db):
    child = start_script(CHILD, db, first_line="WROTE")
    assert server_processes(db), "the child should have started a server"
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert read_after_restart(db, IDS, "no orphaned redis-server after kill -9") == [{"id": "P-child"}]


def kill_and_wait_for_the_server(db: Path, victim: str, before_kill: GraphBatch | None = None) -> None:
    """With the database open, write ``before_kill`` (if any), SIGKILL its ``victim`` process
    ("server" or "supervisor") and wait until the redis-server is gone either way."""
    backend = open_backend(db=db)
    try:
        if before_kill is not None:
            backend.upsert(before_kill)
        state = server_state(db)
        os.kill(state[f"{victim}_pid"], signal.SIGKILL)
        assert wait_until(lambda: is_gone(state["server_pid"]))
    finally:
        backend.close()


def test_a_committed_write_survives_a_crash_of_the_server_itself(db):
    kill_and_wait_for_the_server(db, "server", before_kill=one_project("P1"))
    assert read_after_restart(db, IDS) == [{"id": "P1"}]


def test_killing_the_supervisor_takes_the_server_with_it(db):
    kill_and_wait_for_the_server(db, "supervisor")


def test_a_second_supervisor_refuses_a_folder_that_has_one(db):
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
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(stale))  # the file stays behind
    if sys.argv[3] == "resets":  # a dying server: takes connections, then drops them
        sock.listen()
        import threading
        threading.Thread(target=lambda: [sock.accept()[0].close() for _ in iter(int, 1)], daemon=True).start()
    else:  # nothing listens any more
        sock.close()
    (db / "server.json").write_text(json.dumps({"socket": str(stale), "supervisor_pid": 0, "server_pid": 0}))
    print("HOLDING", flush=True)
    time.sleep(float(sys.argv[2]))
    """
)


@pytest.mark.parametrize("socket_state", ["refuses", "resets"])
def test_attaching_while_a_killed_supervisor_is_still_exiting_waits_for_it(db, socket_state):
    # The windows CI hit: kill -9 of supervisor and server, then a reopen while the dying
    # supervisor still holds server.lock and its socket either refuses connections or (the server
    # exiting too) takes them and resets them. Stretched here to 3 seconds, longer than the
    # backend's own reconnect attempts, so only waiting for the lock gets through.
    holder = start_script(EXITING_SUPERVISOR, db, "3.0", socket_state, first_line="HOLDING")
    try:
        with open_backend(db=db) as backend:
            backend.upsert(one_project("P1"))
            assert backend.read(IDS) == [{"id": "P1"}]
        assert holder.wait(timeout=30) == 0
    finally:
        holder.kill()


def test_append_only_persistence_is_configured(db):
    with open_backend(db=db) as backend:
        backend.upsert(one_project("P1"))
        assert (db / "appendonly").is_dir()
        from redis import Redis

        client = Redis(unix_socket_path=server_state(db)["socket"], decode_responses=True)
        assert client.config_get("appendonly") == {"appendonly": "yes"}
        assert client.config_get("appendfsync") == {"appendfsync": "always"}
        assert client.config_get("port") == {"port": "0"}
        client.close()


@pytest.mark.parametrize("kill_after", [0.3, 1.0])
def test_a_writer_killed_mid_batch_leaves_the_graph_as_it_was(db, kill_after):
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
    child = start_script(big_writer, db, first_line="START")
    time.sleep(kill_after)
    child.send_signal(signal.SIGKILL)
    child.wait()
    with open_backend(db=db) as backend:
        counts = backend.read("MATCH (n) RETURN labels(n)[0] AS label, count(n) AS n ORDER BY label")
        assert counts == [{"label": "Project", "n": 1}]


def test_a_write_waits_for_a_background_save_instead_of_failing(db):
    # GRAPH.COPY forks; Redis allows one child at a time. The server starts rewriting its
    # append-only file by itself after a big load, and the next load's copy failed "could not
    # fork". Here a background save is made to last about two seconds.
    with open_backend(db=db) as backend:
        backend.upsert(one_project("P1"))
        from redis import Redis

        client = Redis(unix_socket_path=server_state(db)["socket"])
        client.config_set("rdb-key-save-delay", 2_000_000)  # microseconds per key
        client.bgsave()
        assert client.info("persistence")["rdb_bgsave_in_progress"] == 1
        backend.upsert(one_project("P2"))
        assert backend.read("MATCH (p:Project) RETURN p.id AS id ORDER BY id") == [{"id": "P1"}, {"id": "P2"}]
        client.close()


def test_the_server_can_be_kept_warm_between_commands_and_still_stops(db, monkeypatch):
    # PORTFOLIO_GRAPH_SERVER_LINGER: the server outlives its last user for that long, so the next
    # command attaches instead of loading the graph again; then it stops as always.
    monkeypatch.setenv("PORTFOLIO_GRAPH_SERVER_LINGER", "15")
    with open_backend(db=db) as backend:
        backend.upsert(one_project("P1"))
        first = server_state(db)
    assert not is_gone(first["server_pid"]), "closed a moment ago, well within the linger"
    with open_backend(db=db) as backend:
        assert server_state(db) == first, "the second user attached to the warm server"
        assert backend.read("MATCH (p:Project) RETURN p.id AS id") == [{"id": "P1"}]
    assert wait_until(lambda: not server_processes(db), 120), "and it stops once the linger is over"
