"""Several processes on one embedded database, all real subprocesses.

Writers serialise on ``write.lock``; a writer that cannot get it within
PORTFOLIO_GRAPH_LOCK_TIMEOUT fails with DatabaseBusy ("database is busy"); readers never wait for
a writer and see the old graph or the new one, never a half-written one; many short CLI runs share
one server and leave no process behind.

No test depends on timing. Where a write must be in progress, the writer is frozen with SIGSTOP
at a moment when it provably holds the write lock and its staging copy exists (see
``paused_writer``); everything else waits for outcomes with generous deadlines.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import queue
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from portfolio_graph.graph import SCHEMA, GraphBatch, RelRow, open_backend
from portfolio_graph.graph.falkordb_backend import ONE_QUERY_ROWS
from processes import redis_servers, server_processes, wait_until
from support.cli import child_env
from test_embedded_server import is_gone, server_state

CLI = str(Path(sys.executable).with_name("portfolio-graph"))
DEADLINE = 180.0  # seconds; generous, the machine may be busy
STAGING_PREFIX = "portfolio__staging__"
BASE = 200  # Enterprise/Project pairs in the graph before each test
# Pairs a paused writer adds: long enough to be caught holding the lock, and more rows (3 a pair)
# than one query takes, so it writes into a staging copy.
WRITE = ONE_QUERY_ROWS // 3 + 2000
SMALL_WRITE = ONE_QUERY_ROWS // 3 - 500  # written as one atomic query on the graph itself


# -- helpers ---------------------------------------------------------------------------------------


def pairs_batch(prefix: str, count: int) -> GraphBatch:
    """``count`` enterprises, ``count`` projects and one OPERATED_BY between each pair."""
    batch = GraphBatch()
    for i in range(count):
        batch.add_node("Enterprise", {"id": f"{prefix}E{i}", "name": f"企业{prefix}{i}"})
        batch.add_node("Project", {"id": f"{prefix}P{i}", "name": f"项目{prefix}{i}"})
        batch.add_rel("OPERATED_BY", RelRow("Project", f"{prefix}P{i}", "Enterprise", f"{prefix}E{i}"))
    return batch


def state_of(pairs: int) -> tuple[int, int]:
    """(nodes, relationships) of a graph holding ``pairs`` pairs."""
    return (2 * pairs, pairs)


# One query, so nodes and relationships are counted on the same graph.
COUNT_QUERY = "MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS nodes, count(r) AS rels"

WRITER = textwrap.dedent(
    """
    import os, sys, time
    sys.path.insert(0, sys.argv[4])
    from test_concurrency import pairs_batch
    from portfolio_graph.graph import DatabaseBusy, open_backend
    db, prefix, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    backend = open_backend(db=db)
    batch = pairs_batch(prefix, count)
    go = os.environ.get("GO_FILE")
    print("READY", flush=True)
    while go and not os.path.exists(go):
        time.sleep(0.01)
    print("START", flush=True)
    try:
        backend.upsert(batch)
    except DatabaseBusy as exc:
        print("BUSY", exc, flush=True)
        sys.exit(3)
    print("DONE", flush=True)
    backend.close()
    """
)

READER = textwrap.dedent(
    """
    import os, sys
    from portfolio_graph.graph import open_backend
    db, stop, query = sys.argv[1], sys.argv[2], sys.argv[3]
    backend = open_backend(db=db)
    while True:
        stopping = os.path.exists(stop)
        row = backend.read(query)[0]
        print(row["nodes"], row["rels"], flush=True)
        if stopping:
            break
    backend.close()
    """
)


class Child:
    """A subprocess whose output lines arrive on a queue, so waiting for one can time out."""

    def __init__(self, args: list[str], env: dict[str, str] | None = None):
        self.process = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.stderr = ""
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def next_line(self, timeout: float = DEADLINE) -> str:
        line = self.lines.get(timeout=timeout)
        if line is None:
            self.wait()
            raise AssertionError(f"child exited ({self.process.returncode}) early: {self.stderr[-3000:]}")
        return line

    def expect(self, wanted: str, timeout: float = DEADLINE) -> str:
        line = self.next_line(timeout)
        assert line.startswith(wanted), f"expected {wanted!r}, got {line!r}"
        return line

    def wait(self, timeout: float = DEADLINE) -> int:
        code = self.process.wait(timeout=timeout)
        assert self.process.stderr is not None
        self.stderr = self.process.stderr.read()
        return code

    def rest(self) -> list[str]:
        self.wait()
        out = []
        while True:
            line = self.lines.get(timeout=DEADLINE)
            if line is None:
                return out
            out.append(line)

    def kill(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.process.pid, signal.SIGCONT)
            self.process.kill()
        self.process.wait(timeout=DEADLINE)




def start_writer(db: Path, prefix: str, count: int, **env: str) -> Child:
    tests_dir = str(Path(__file__).resolve().parent)
    return Child([sys.executable, "-c", WRITER, str(db), prefix, str(count), tests_dir], child_env(**env))


def started_writer(db: Path, prefix: str, count: int, **env: str) -> Child:
    """A writer that has begun its batch (said READY, then START)."""
    writer = start_writer(db, prefix, count, **env)
    writer.expect("READY")
    writer.expect("START")
    return writer


def finish(*writers: Child) -> None:
    """Each writer completes its batch and exits cleanly."""
    for writer in writers:
        writer.expect("DONE")
        assert writer.wait() == 0, writer.stderr


def start_reader(db: Path, stop: Path) -> Child:
    return Child([sys.executable, "-c", READER, str(db), str(stop), COUNT_QUERY], child_env())


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([CLI, *args], capture_output=True, text=True, env=child_env(**env), timeout=DEADLINE)


def start_cli(db: Path, *args: str, **env: str) -> subprocess.Popen:
    """``portfolio-graph --db DB args`` running in the background; ``communicate()`` collects it."""
    return subprocess.Popen([CLI, "--db", str(db), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=child_env(**env))


def redis_client(db: Path):
    from redis import Redis

    return Redis(unix_socket_path=server_state(db)["socket"])


def staging_keys(db: Path) -> list[bytes]:
    client = redis_client(db)
    try:
        return client.keys(f"{STAGING_PREFIX}*")
    finally:
        client.close()


def write_lock_is_held(db: Path) -> bool:
    with open(db / "write.lock", "a+b") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        return False


@contextlib.contextmanager
def paused_writer(db: Path, prefix: str = "W", count: int = WRITE):
    """A writer frozen (SIGSTOP) in the middle of its batch: it holds the write lock and its
    staging copy exists, so the graph readers see is still the old one. Resumed on exit."""
    writer = started_writer(db, prefix, count)
    try:
        deadline = time.monotonic() + DEADLINE
        while True:
            os.kill(writer.process.pid, signal.SIGSTOP)
            # Checked while the writer is frozen, so the answer cannot change under us.
            if write_lock_is_held(db) and staging_keys(db):
                break
            os.kill(writer.process.pid, signal.SIGCONT)
            assert writer.process.poll() is None, "the writer finished before it could be paused"
            assert time.monotonic() < deadline, "could not catch the writer holding the lock"
            time.sleep(0.005)
        yield writer
    finally:
        if writer.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(writer.process.pid, signal.SIGCONT)




@pytest.fixture
def db(tmp_path):
    """A database holding BASE pairs, with the schema; kept open by the test so its server lives."""
    path = tmp_path / "p.db"
    backend = open_backend(db=path)
    backend.apply_schema(SCHEMA)
    backend.upsert(pairs_batch("B", BASE))
    yield path
    backend.close()
    assert wait_until(lambda: not server_processes(path), DEADLINE), "a server outlived its last user"


def counts(db: Path) -> tuple[int, int]:
    with open_backend(db=db) as backend:
        row = backend.read(COUNT_QUERY)[0]
    return (row["nodes"], row["rels"])


def ids_with_prefix(db: Path, prefix: str) -> int:
    with open_backend(db=db) as backend:
        return backend.read("MATCH (n) WHERE n.id STARTS WITH $p RETURN count(n) AS n", {"p": prefix})[0]["n"]


# -- writers -----------------------------------------------------------------------------------------


def test_two_writers_at_once_both_succeed_with_the_default_timeout(db, tmp_path):
    go = tmp_path / "go"
    first = start_writer(db, "X", 2000, GO_FILE=str(go))
    second = start_writer(db, "Y", 2000, GO_FILE=str(go))
    first.expect("READY")
    second.expect("READY")
    go.touch()  # both start their batch together
    for writer in (first, second):
        writer.expect("START")
    finish(first, second)
    assert counts(db) == state_of(BASE + 4000)
    assert ids_with_prefix(db, "X") == ids_with_prefix(db, "Y") == 4000
    assert staging_keys(db) == []


def test_a_second_writer_waits_for_a_write_in_progress(db):
    with paused_writer(db, "W") as first:
        # Starts while the first provably holds the lock; it has to wait its turn.
        second = started_writer(db, "V", 100)
    finish(first, second)
    assert counts(db) == state_of(BASE + WRITE + 100)
    assert staging_keys(db) == []


def test_a_short_lock_timeout_gives_database_busy_and_changes_nothing(db):
    with paused_writer(db, "W") as first:
        busy = started_writer(db, "Z", 10, PORTFOLIO_GRAPH_LOCK_TIMEOUT="0.2")
        line = busy.expect("BUSY")
        assert busy.wait() == 3, busy.stderr
        assert f"database is busy: another process is writing to {db}" in line
        assert "PORTFOLIO_GRAPH_LOCK_TIMEOUT" in line

        cli = run_cli("--db", str(db), "query", "CREATE (:Project {id: 'cli', name: 'cli'})", "--write",
                      PORTFOLIO_GRAPH_LOCK_TIMEOUT="0.2")
        assert cli.returncode == 1
        assert cli.stderr.startswith("Error: database is busy")
        assert "Traceback" not in cli.stderr
        assert counts(db) == state_of(BASE)  # the frozen write is not visible yet
    finish(first)
    assert counts(db) == state_of(BASE + WRITE)
    assert ids_with_prefix(db, "Z") == 0
    assert ids_with_prefix(db, "cli") == 0
    assert staging_keys(db) == []


def test_a_writer_killed_while_another_waits_leaves_a_consistent_graph(db):
    with paused_writer(db, "W") as doomed:
        waiting = started_writer(db, "V", 100)
        doomed.process.send_signal(signal.SIGKILL)
        doomed.wait()
    finish(waiting)
    assert counts(db) == state_of(BASE + 100)
    assert ids_with_prefix(db, "W") == 0
    assert staging_keys(db) == [], "the next writer removes the dead writer's staging copy"


# -- readers -------------------------------------------------------------------------------------------


@contextlib.contextmanager
def two_readers(db: Path, tmp_path: Path, old: tuple[int, int], new: tuple[int, int]):
    """Two readers counting the graph in a loop; on exit each must have seen only ``old`` or
    ``new``, never a graph in between."""
    stop = tmp_path / "stop"
    readers = [start_reader(db, stop), start_reader(db, stop)]
    seen: list[str] = []
    try:
        for reader in readers:
            seen.append(reader.next_line())
        yield readers, seen
        for reader in readers:  # each reader goes on until it sees the new graph
            while (line := reader.next_line()) != f"{new[0]} {new[1]}":
                seen.append(line)
            seen.append(line)
    finally:
        stop.touch()
        for reader in readers:
            if reader.process.poll() is None:
                seen += reader.rest()
            else:
                reader.wait()
    for reader in readers:
        assert reader.process.returncode == 0, reader.stderr
    allowed = {f"{old[0]} {old[1]}", f"{new[0]} {new[1]}"}
    assert set(seen) <= allowed, f"a reader saw a half-written graph: {sorted(set(seen) - allowed)}"


def test_readers_during_a_write_see_the_old_or_the_new_graph_never_half(db, tmp_path):
    old, new = state_of(BASE), state_of(BASE + WRITE)
    with two_readers(db, tmp_path, old, new) as (readers, seen):
        with paused_writer(db, "W") as writer:
            # The write is half done in its staging copy: every read, however many, sees the old graph.
            for reader in readers:
                during = [reader.next_line() for _ in range(5)]
                assert during == [f"{old[0]} {old[1]}"] * 5
                seen += during
            # Read-only commands do not wait for the writer, even with a short lock timeout.
            clis = [start_cli(db, *args, PORTFOLIO_GRAPH_LOCK_TIMEOUT="0.2")
                    for args in (["stats", "--format", "json"], ["stats", "--format", "json"],
                                 ["query", "MATCH (p:Project) RETURN count(p) AS n", "--format", "json"])]
            outputs = [cli.communicate(timeout=DEADLINE) for cli in clis]
            assert [cli.returncode for cli in clis] == [0, 0, 0], [err for _, err in outputs]
            assert json.loads(outputs[0][0])["labels"]["Project"] == BASE
            assert json.loads(outputs[1][0])["relationships"]["OPERATED_BY"] == BASE
            assert json.loads(outputs[2][0]) == [{"n": BASE}]
        finish(writer)


def test_readers_during_a_small_write_see_the_old_or_the_new_graph_never_half(db, tmp_path):
    # A small batch is one query on the graph itself (no staging copy to pause on): FalkorDB runs
    # it atomically, so readers still see one graph or the other.
    old, new = state_of(BASE), state_of(BASE + SMALL_WRITE)
    with two_readers(db, tmp_path, old, new):
        finish(started_writer(db, "S", SMALL_WRITE))
        assert staging_keys(db) == []
    assert counts(db) == new


# -- many short CLI runs ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_many_short_cli_runs_in_a_row_and_in_parallel_leave_no_process_behind(tmp_path):
    db = tmp_path / "fresh.db"
    most_servers = 0

    def parallel(commands: list[list[str]]) -> list[subprocess.CompletedProcess]:
        nonlocal most_servers
        procs = [start_cli(db, *args) for args in commands]
        while any(p.poll() is None for p in procs):
            most_servers = max(most_servers, len(redis_servers(db)))
            time.sleep(0.05)
        return [subprocess.CompletedProcess(p.args, p.returncode, *p.communicate(timeout=DEADLINE)) for p in procs]

    # A new folder: five first opens race to start the server and create the graph and schema.
    results = parallel([["stats", "--format", "json"]] * 5)
    assert [r.returncode for r in results] == [0] * 5, [r.stderr for r in results]

    # In a row: each may find the previous run's server lingering, or stopping, or gone.
    write = run_cli("--db", str(db), "query", "CREATE (:Project {id: 'P1', name: '一'}) RETURN 1 AS ok", "--write")
    assert write.returncode == 0, write.stderr
    for i in range(8):
        result = run_cli("--db", str(db), *(["info"] if i % 2 else ["stats", "--format", "json"]))
        assert result.returncode == 0, result.stderr
        most_servers = max(most_servers, len(redis_servers(db)))
        if i == 4:  # once, let the server stop between runs
            assert wait_until(lambda: not server_processes(db))

    # In parallel, several rounds, mixed with writes.
    for round_ in range(3):
        commands = [["stats", "--format", "json"]] * 4 + [
            ["query", f"CREATE (:Project {{id: 'R{round_}', name: 'r'}}) RETURN 1 AS ok", "--write"]]
        results = parallel(commands)
        assert [r.returncode for r in results] == [0] * 5, [r.stderr for r in results]
        for result in results[:4]:
            assert json.loads(result.stdout)["labels"]["Project"] in (1 + round_, 2 + round_)

    assert most_servers <= 1, "two servers ran on one folder at the same time"
    assert wait_until(lambda: not server_processes(db)), [p.info["cmdline"] for p in server_processes(db)]
    assert not (db / "server.json").exists()
    final = run_cli("--db", str(db), "query", "MATCH (p:Project) RETURN count(p) AS n", "--format", "json")
    assert json.loads(final.stdout) == [{"n": 4}]
    assert wait_until(lambda: not server_processes(db))


# -- crashes around the server ------------------------------------------------------------------------------


def test_a_crashed_server_and_supervisor_leave_nothing_that_blocks_the_next_runs(db):
    state = server_state(db)
    for pid in (state["supervisor_pid"], state["server_pid"]):
        os.kill(pid, signal.SIGKILL)
    assert wait_until(lambda: not redis_servers(db))
    assert (db / "server.json").exists()  # stale state (and socket path) left behind
    results = [start_cli(db, "stats", "--format", "json") for _ in range(3)]
    outputs = [p.communicate(timeout=DEADLINE) for p in results]
    assert [p.returncode for p in results] == [0, 0, 0], [err for _, err in outputs]
    assert all(json.loads(out)["labels"]["Enterprise"] == BASE for out, _ in outputs)


def test_a_new_server_waits_for_the_orphaned_server_of_a_killed_supervisor(db):
    """A supervisor killed while its server is busy (here: frozen) leaves that server running for
    a while. The next supervisor must not start a second server on the same files, and the old
    one's exit must not take the new server's socket with it."""
    state = server_state(db)
    os.kill(state["server_pid"], signal.SIGSTOP)  # busy with something long; SIGTERM stays pending
    os.kill(state["supervisor_pid"], signal.SIGKILL)
    try:
        assert wait_until(lambda: is_gone(state["supervisor_pid"]))
        # The fixture's own lease still points at the old server; a new process starts over.
        first = run_cli("--db", str(db), "stats", "--format", "json")
        assert first.returncode == 0, first.stderr
        assert is_gone(state["server_pid"]), "the new server started while the old one still ran on the same files"
        holder = start_reader(db, db.parent / "stop-holder")  # keeps the new server alive
        try:
            holder.next_line()
            again = run_cli("--db", str(db), "query", "MATCH (e:Enterprise) RETURN count(e) AS n", "--format", "json")
            assert again.returncode == 0, again.stderr
            assert json.loads(again.stdout) == [{"n": BASE}]
        finally:
            (db.parent / "stop-holder").touch()
            holder.rest()
        assert len(redis_servers(db)) <= 1
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(state["server_pid"], signal.SIGCONT)
