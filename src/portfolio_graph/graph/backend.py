"""The small interface both engines implement, and the one place that picks an engine."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from ..errors import PortfolioGraphError
from .batch import GraphBatch, WriteSummary
from .schema import Schema


class BackendError(PortfolioGraphError, RuntimeError):
    """A query or write failed; the message is safe to show (no credentials). Exit code 1.
    (Also a RuntimeError, as it was before the common base existed.)"""


class DatabaseBusy(BackendError):
    """Another process holds the write lock of an embedded database."""


class ReadOnlyViolation(BackendError):
    """A query tried to write in a read-only call."""


@runtime_checkable
class Backend(Protocol):
    name: str  # "falkordb" or "neo4j"
    location: str  # a path or a URI without credentials, for messages

    def read(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a read-only query; writes are refused by the engine."""

    def write(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run one query in its own transaction and return its rows."""

    def upsert(self, batch: GraphBatch) -> WriteSummary:
        """Write a whole batch, all or nothing."""

    def apply_schema(self, schema: Schema) -> None:
        """Create the key constraints and indexes the schema declares (idempotent)."""

    def clear(self) -> None:
        """Delete every node and relationship."""

    def close(self) -> None: ...


DEFAULT_DB_ENV = "PORTFOLIO_GRAPH_DB"


def default_db_path() -> Path:
    """``$PORTFOLIO_GRAPH_DB``, else a per-user data folder, as XDG suggests."""
    if os.environ.get(DEFAULT_DB_ENV):
        return Path(os.environ[DEFAULT_DB_ENV]).expanduser()
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data_home / "portfolio-graph" / "portfolio.db"


def demo_db_path() -> Path:
    """The demo's own database, beside the built-in default one; never ``$PORTFOLIO_GRAPH_DB``."""
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data_home / "portfolio-graph" / "demo.db"


def open_backend(
    db: str | os.PathLike[str] | None = None,
    uri: str | None = None,
    *,
    username: str | None = None,
    password: str | None = None,
    database: str | None = None,
) -> Backend:
    """Open Neo4j when a URI is given (argument or ``NEO4J_URI``), else the embedded database.

    An explicit ``db`` wins over ``NEO4J_URI`` in the environment.
    """
    if uri is None and db is None:
        uri = os.environ.get("NEO4J_URI") or None
    if uri:
        from .neo4j_backend import Neo4jBackend

        return Neo4jBackend.from_settings(uri, username=username, password=password, database=database)
    from .falkordb_backend import FalkorDBBackend

    return FalkorDBBackend(Path(db) if db is not None else default_db_path())
