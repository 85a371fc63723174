"""One server per database folder whatever the path's spelling, a socket folder no one else
controls, a deleted folder's server stops, rewrites finish before a stop (issue 19: 1, 2, 4, 5).

Deterministic: a busy server is simulated by SIGSTOP (it then acts on SIGTERM only once it is
continued, as a server inside a long command does after it), never by timing.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any

import psutil
import pytest

from portfolio_graph.graph import GraphBatch, open_backend
from portfolio_graph.graph.embedded_server import EmbeddedServerError
from portfolio_graph.graph.server_socket import SocketFolderError, check_peer
from processes import redis_servers, server_processes, wait_until

IDS = "MATCH (p:Project) RETURN p.id AS id ORDER BY id"
NOBODY = 65534


def one_project(node_id: str) -> GraphBatch:
    batch = GraphBatch()
    batch.add_node("Project", {"id": node_id, "name": f"项目{node_id}"})
    return batch


def server_state(db: Path) -> dict[str, Any]:
    return json.loads((db / "server.json").read_text())


def is_gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def kill_if_alive(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.kill(pid, signal.SIGCONT)
    except ProcessLookupError:
        pass


def other_spelling(tmp_path: Path, db: Path, how: str) -> Path:
    if how == "symlink":
        link = tmp_path / "link.db"
        link.symlink_to(db, target_is_directory=True)
        return link
    (tmp_path / "sub").mkdir()
    return tmp_path / "sub" / ".." / db.name


@pytest.mark.parametrize("how", ["symlink", "dotdot"])
def test_another_spelling_of_the_path_waits_for_the_old_server_instead_of_starting_a_second(tmp_path, how):
    # Reproduced: kill -9 of the supervisor while its server is busy, then a write through another
    # spelling of the path. A second redis-server started on the same append-only file, and the
    # old one's exit deleted the new one's socket.
    db = tmp_path / "p.db"
    backend = open_backend(db=db)
    backend.upsert(one_project("P1"))
    state = server_state(db)
    os.kill(state["server_pid"], signal.SIGSTOP)  # busy: SIGTERM from the supervisor's death waits
    os.kill(state["supervisor_pid"], signal.SIGKILL)
    try:
        assert wait_until(lambda: is_gone(state["supervisor_pid"]))
        backend.close()
        with open_backend(db=other_spelling(tmp_path, db, how)) as second:
            assert is_gone(state["server_pid"]), "the old server must be gone before a new one starts"
            assert len(redis_servers(db)) == 1
            second.upsert(one_project("P2"))
            assert second.read(IDS) == [{"id": "P1"}, {"id": "P2"}]
            with open_backend(db=db) as third:  # the new server's socket outlived the old server
                assert server_state(db)["server_pid"] != state["server_pid"]
                assert third.read(IDS) == [{"id": "P1"}, {"id": "P2"}]
    finally:
        kill_if_alive(state["server_pid"])
    assert wait_until(lambda: not server_processes(db))


def test_every_spelling_of_a_folder_shares_one_server(tmp_path):
    db = tmp_path / "p.db"
    with open_backend(db=db) as first, open_backend(db=other_spelling(tmp_path, db, "symlink")) as second:
        assert len(redis_servers(db)) == 1
        first.upsert(one_project("P1"))
        assert second.read(IDS) == [{"id": "P1"}]
        assert second.location == first.location == str(db.resolve())
    assert wait_until(lambda: not server_processes(db))


def test_a_deleted_folder_stops_its_server_and_a_new_folder_of_that_name_keeps_its_socket(tmp_path, monkeypatch):
    # Reproduced: rm -rf of a database and reuse of its name while the old server lingered; its exit
    # removed the new server's socket and the next command hung for 60 s.
    db = tmp_path / "p.db"
    monkeypatch.setenv("PORTFOLIO_GRAPH_SERVER_LINGER", "300")
    with open_backend(db=db) as backend:
        backend.upsert(one_project("OLD"))
    old = server_state(db)
    try:
        shutil.rmtree(db)
        monkeypatch.delenv("PORTFOLIO_GRAPH_SERVER_LINGER")
        with open_backend(db=db) as backend:
            backend.upsert(one_project("NEW"))
            assert wait_until(lambda: is_gone(old["server_pid"]) and is_gone(old["supervisor_pid"])), \
                "a server whose folder was deleted stops, long before its linger ends"
            assert backend.read(IDS) == [{"id": "NEW"}]
            assert (db / "server.json").exists(), "the old supervisor left the new one's state alone"
        with open_backend(db=db) as backend:  # attaches or starts afresh, never hangs on a lost socket
            assert backend.read(IDS) == [{"id": "NEW"}]
    finally:
        kill_if_alive(old["server_pid"])
        kill_if_alive(old["supervisor_pid"])
    assert wait_until(lambda: not server_processes(db))


# -- the socket folder used when the database path is long ------------------------------------------


@pytest.fixture
def long_db(tmp_path, monkeypatch):
    """A database whose in-folder socket path would be too long, and a private temp folder in
    which the fallback socket folder is made (the supervisor inherits TMPDIR)."""
    temp = Path(tempfile.mkdtemp(prefix="pg-", dir="/tmp"))  # short: the socket path must fit
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", None)
    db = tmp_path / ("long-folder-name-" * 6) / "p.db"
    assert len(os.fsencode(db / "server-00000000.sock")) >= 100
    yield db
    assert wait_until(lambda: not server_processes(db))
    shutil.rmtree(temp)


def fallback_folder(long_db: Path) -> Path:
    return Path(os.environ["TMPDIR"]) / f"portfolio-graph-{os.geteuid()}"  # set by the long_db fixture


def test_a_long_path_puts_the_socket_in_a_private_folder(long_db):
    with open_backend(db=long_db) as backend:
        backend.upsert(one_project("P1"))
        socket_path = Path(server_state(long_db)["socket"])
        assert socket_path.parent == fallback_folder(long_db)
        assert fallback_folder(long_db).stat().st_mode & 0o777 == 0o700
    assert wait_until(lambda: not server_processes(long_db))


def test_a_private_xdg_runtime_dir_holds_the_socket(long_db, tmp_path, monkeypatch):
    runtime = fallback_folder(long_db).parent / "run"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    with open_backend(db=long_db):
        assert Path(server_state(long_db)["socket"]).parent == runtime
    assert wait_until(lambda: not server_processes(long_db))


@pytest.mark.parametrize("kind", ["mode-777", "symlink"])
def test_a_socket_folder_others_can_use_is_refused(long_db, tmp_path, kind):
    folder = fallback_folder(long_db)
    if kind == "mode-777":
        folder.mkdir()
        folder.chmod(0o777)  # another local user made it first
        expected = "can be used by other users"
    else:
        (tmp_path / "elsewhere").mkdir(mode=0o700)
        folder.symlink_to(tmp_path / "elsewhere")
        expected = "is not a folder"
    with pytest.raises(EmbeddedServerError, match=expected):
        open_backend(db=long_db)
    assert not redis_servers(long_db)


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a folder to another user needs root")
def test_a_socket_folder_of_another_user_is_refused(long_db):
    folder = fallback_folder(long_db)
    folder.mkdir(mode=0o700)
    os.chown(folder, NOBODY, NOBODY)
    with pytest.raises(EmbeddedServerError, match=f"belongs to another user \\(uid {NOBODY}\\)"):
        open_backend(db=long_db)
    assert not redis_servers(long_db)


FOREIGN_LISTENER = textwrap.dedent(
    """
    import os, socket, sys, time
    os.setgid(int(sys.argv[2])); os.setuid(int(sys.argv[2]))
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(sys.argv[1])
    sock.listen()
    print("LISTENING", flush=True)
    time.sleep(60)
    """
)


@pytest.mark.skipif(os.geteuid() != 0, reason="running a listener as another user needs root")
def test_a_socket_served_by_another_user_is_refused():
    folder = Path(tempfile.mkdtemp(prefix="pg-shared-", dir="/tmp"))  # pytest's tmp is root's only
    folder.chmod(0o777)
    path = folder / "s.sock"
    listener = subprocess.Popen([sys.executable, "-c", FOREIGN_LISTENER, str(path), str(NOBODY)],
                                stdout=subprocess.PIPE, text=True)
    try:
        assert listener.stdout.readline().strip() == "LISTENING"
        with pytest.raises(SocketFolderError, match=f"another user's process \\(uid {NOBODY}\\)"):
            check_peer(path)
    finally:
        listener.kill()
        listener.wait()
        shutil.rmtree(folder)


def test_a_socket_served_by_this_user_is_accepted(tmp_path):
    path = tmp_path / "s.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.bind(str(path))
        sock.listen()
        check_peer(path)


# -- stopping ---------------------------------------------------------------------------------------


def test_a_rewrite_of_the_append_only_file_finishes_before_the_server_stops(tmp_path):
    # Reproduced: the 1 s linger killed the background rewrite after every big write, the files
    # only grew, and opening the database took longer than the start wait.
    db = tmp_path / "p.db"
    with open_backend(db=db) as backend:
        backend.upsert(one_project("P1"))
        from redis import Redis

        client = Redis(unix_socket_path=server_state(db)["socket"])
        client.config_set("rdb-key-save-delay", 2_000_000)  # microseconds per key: about 2 s
        client.bgrewriteaof()
        assert wait_until(lambda: client.info("persistence")["aof_rewrite_in_progress"] == 1, 10)
        client.close()
    assert wait_until(lambda: not server_processes(db), 60)
    log = (db / "server.log").read_text()
    assert "Killing running AOF rewrite child" not in log
    assert "Background AOF rewrite finished successfully" in log
    with open_backend(db=db) as backend:
        assert backend.read(IDS) == [{"id": "P1"}]
