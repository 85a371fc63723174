"""Neo4j 5 through the official driver: a single server, a cluster or Aura.

Connection settings follow Neo4j's own tools: NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD and
NEO4J_DATABASE. The password is never put into a message or a repr.
"""

from __future__ import annotations

import os
import time
from typing import Any

from .backend import BackendError, ReadOnlyViolation
from .batch import GraphBatch, WriteSummary
from .schema import KEY, Schema
from .statements import upsert_statements
from .values import normalise_rows


def _safe_uri(uri: str) -> str:
    # A URI may carry user:password@; keep only scheme, host and port for messages.
    scheme, sep, rest = uri.partition("://")
    if not sep:
        return uri
    return f"{scheme}://{rest.rsplit('@', 1)[-1]}"


class Neo4jBackend:
    name = "neo4j"

    def __init__(self, uri: str, auth: tuple[str, str] | None, database: str | None):
        import neo4j

        self.location = _safe_uri(uri)
        self._database = database or None
        self._neo4j = neo4j
        try:
            self._driver = neo4j.GraphDatabase.driver(uri, auth=auth)
            self._driver.verify_connectivity()
        except Exception as exc:  # the driver's message may quote the URI, never the password
            raise BackendError(f"cannot connect to Neo4j at {self.location}: {type(exc).__name__}: {_scrub(exc, auth)}") from None

    @classmethod
    def from_settings(
        cls,
        uri: str,
        *,
        username: str | None = None,
        password: str | None = None,
        database: str | None = None,
    ) -> "Neo4jBackend":
        username = username or os.environ.get("NEO4J_USERNAME") or os.environ.get("NEO4J_USER")
        if password is None:
            password = os.environ.get("NEO4J_PASSWORD")
        if password is None:
            from ..credentials import password_from_config

            password = password_from_config()
        database = database or os.environ.get("NEO4J_DATABASE") or None
        auth = (username or "neo4j", password) if password is not None else None
        return cls(uri, auth, database)

    def __repr__(self) -> str:
        return f"Neo4jBackend({self.location!r}, database={self._database!r})"

    def _session(self, read_only: bool) -> Any:
        mode = self._neo4j.READ_ACCESS if read_only else self._neo4j.WRITE_ACCESS
        return self._driver.session(database=self._database, default_access_mode=mode)

    def _run(self, cypher: str, params: dict[str, Any] | None, read_only: bool) -> list[dict[str, Any]]:
        def work(tx: Any) -> list[dict[str, Any]]:
            result = tx.run(cypher, params or {})
            keys = list(result.keys())
            return normalise_rows(keys, [list(record.values()) for record in result])

        try:
            with self._session(read_only) as session:
                if read_only:
                    return session.execute_read(work)
                return session.execute_write(work)
        except self._neo4j.exceptions.Neo4jError as exc:
            code = getattr(exc, "code", "") or ""
            if "AccessMode" in code or "ForbiddenOnReadOnlyDatabase" in code:
                raise ReadOnlyViolation("this query writes to the graph; it needs --write") from None
            raise BackendError(f"Neo4j: {code}: {exc.message}") from None

    def read(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        return self._run(cypher, params, read_only=True)

    def write(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        return self._run(cypher, params, read_only=False)

    def upsert(self, batch: GraphBatch) -> WriteSummary:
        batch.check()
        started = time.perf_counter()
        deleted = 0
        with self._session(read_only=False) as session:
            tx = session.begin_transaction()
            try:
                for statement in upsert_statements(batch):
                    record = tx.run(statement.cypher, statement.params).single()
                    written = int(record["written"]) if record else 0
                    if statement.what.startswith("delete"):
                        deleted += written
                    elif written != statement.expected:
                        raise BackendError(
                            f"{statement.what}: wrote {written} of {statement.expected} rows; "
                            "a relationship endpoint is missing from the graph"
                        )
                tx.commit()
            except self._neo4j.exceptions.Neo4jError as exc:
                tx.rollback()
                raise BackendError(f"Neo4j: {exc.code}: {exc.message}") from None
            except BaseException:
                if not tx.closed():
                    tx.rollback()
                raise
        return WriteSummary(batch.node_count, batch.rel_count, deleted, time.perf_counter() - started)

    def apply_schema(self, schema: Schema) -> None:
        for label in schema.labels.values():
            self.write(
                f"CREATE CONSTRAINT `{label.name}_{KEY}_unique` IF NOT EXISTS "
                f"FOR (n:`{label.name}`) REQUIRE n.`{KEY}` IS UNIQUE"
            )
            for prop in label.all_properties:
                if prop.indexed and prop.name != KEY:
                    self.write(
                        f"CREATE INDEX `{label.name}_{prop.name}` IF NOT EXISTS "
                        f"FOR (n:`{label.name}`) ON (n.`{prop.name}`)"
                    )

    def constraints(self) -> list[dict[str, Any]]:
        return self.read(
            "SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties "
            "RETURN type AS type, labelsOrTypes[0] AS label, properties AS properties"
        )

    def clear(self) -> None:
        self.write("MATCH (n) DETACH DELETE n")

    def close(self) -> None:
        self._driver.close()

    def __enter__(self) -> "Neo4jBackend":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _scrub(exc: BaseException, auth: tuple[str, str] | None) -> str:
    text = str(exc)
    if auth and auth[1]:
        text = text.replace(auth[1], "***")
    return text
