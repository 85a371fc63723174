"""Neo4j 5 through the official driver: a single server, a cluster or Aura.

Connection settings follow Neo4j's own tools: NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD and
NEO4J_DATABASE. The password comes from the caller (the CLI's --ask-password prompt), else
NEO4J_PASSWORD, else a private config file (``credentials.py``); never from the URI or a command
line. It is never put into a message, a log line or a repr.

TLS follows the URI scheme: ``bolt+s``/``neo4j+s`` verify the server's certificate against the
system CA store (``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` point OpenSSL elsewhere); ``+ssc`` accepts
any certificate.
"""

from __future__ import annotations

import logging
import os
import time
from typing import Any

from .backend import BackendError, ReadOnlyViolation
from .batch import GraphBatch, WriteSummary
from .params import UnusableParameter, describe_unusable
from .outbound import refuse_outbound
from .schema import KEY, Schema
from .statements import Tally, explain_failure, upsert_statements
from .values import normalise_rows


# The driver's pool logs a failed connection at ERROR level ("Unable to retrieve routing
# information") and then raises; we turn that exception into one clear BackendError. Without any
# logging configured, Python's last-resort handler would also print the bare log line to stderr.
# A NullHandler on this one logger stops only that; configured logging still receives the records.
logging.getLogger("neo4j.pool").addHandler(logging.NullHandler())


def _safe_uri(uri: str) -> str:
    # A URI may carry user:password@; keep only scheme, host and port for messages.
    scheme, sep, rest = uri.partition("://")
    if not sep:
        return uri
    return f"{scheme}://{rest.rsplit('@', 1)[-1]}"


_UNENCRYPTED_SCHEMES = ("bolt", "neo4j")


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and everything behind it, exception groups flattened (the routing driver
    hides the real failure, e.g. a certificate problem, inside an ExceptionGroup)."""
    seen: list[BaseException] = []
    todo = [exc]
    while todo and len(seen) < 20:
        current = todo.pop(0)
        if current is None or any(current is s for s in seen):
            continue
        seen.append(current)
        todo.extend(getattr(current, "exceptions", ()) or ())
        todo.append(current.__cause__ or current.__context__)
    return seen


def _describe(exc: BaseException) -> str:
    """The driver's message; for a failed routing request, the first real failure behind it."""
    text = f"{type(exc).__name__}: {exc}"
    leaves = [c for c in _causes(exc)[1:] if not getattr(c, "exceptions", None)]
    if "routing information" in str(exc) and leaves:
        text += f" ({type(leaves[0]).__name__}: {leaves[0]})"
    return text


def _connect_hint(uri: str, exc: BaseException) -> str:
    """One sentence on the usual cause of a failed connection, when the driver's errors show it."""
    scheme = uri.partition("://")[0].lower()
    evidence = " ".join(f"{type(c).__name__} {c}" for c in _causes(exc))
    if "CERTIFICATE_VERIFY_FAILED" in evidence or "SSLCertVerificationError" in evidence:
        return (" (the server's certificate is not trusted here: add its CA to the system store or point "
                "SSL_CERT_FILE at a CA bundle that holds it; bolt+ssc:// or neo4j+ssc:// accept any "
                "certificate and are for testing only)")
    if scheme in _UNENCRYPTED_SCHEMES and "handshake" in evidence.lower():
        return (f" (the server may accept only encrypted connections: try {scheme}+s:// "
                f"or {scheme}+ssc:// for a self-signed certificate)")
    if scheme not in _UNENCRYPTED_SCHEMES and any(
        marker in evidence for marker in ("SSLEOFError", "UNEXPECTED_EOF", "WRONG_VERSION_NUMBER")
    ):
        return f" (the server may not speak TLS on this port: try {scheme.partition('+')[0]}://)"
    return ""


class Neo4jBackend:
    name = "neo4j"

    def __init__(self, uri: str, auth: tuple[str, str] | None, database: str | None):
        import neo4j

        self.location = _safe_uri(uri)
        self._database = database or None
        self._neo4j = neo4j
        if "@" in uri.partition("://")[2]:
            # The driver refuses this too, but its message quotes the whole URI, password included.
            raise BackendError(
                f"the Neo4j URI {self.location} must not carry a user or password: give the user with "
                "--username or NEO4J_USERNAME, and the password in NEO4J_PASSWORD, the config file, "
                "or at the --ask-password prompt"
            )
        self._secrets = _secrets(auth)
        try:
            # Reports name properties the data may not hold yet (e.g. baseline_value); Neo4j's
            # "unknown property" notifications would flood stderr with warnings about that.
            self._driver = neo4j.GraphDatabase.driver(uri, auth=auth, notifications_min_severity="OFF")
        except Exception as exc:  # a malformed URI or setting
            raise BackendError(f"cannot use Neo4j URI {self.location}: {_scrub(exc, self._secrets)}") from None
        try:
            self._driver.verify_connectivity()
        except neo4j.exceptions.AuthError as exc:
            self._driver.close()
            user = auth[0] if auth else None
            raise BackendError(
                f"Neo4j at {self.location} refused the login"
                + (f" of user {user!r}" if user else " (no password was given)")
                + f": {_scrub(exc.message or exc, self._secrets)}"
            ) from None
        except Exception as exc:  # the driver's message may quote the URI, never the password
            self._driver.close()
            text = _scrub(_describe(exc) + _connect_hint(uri, exc), self._secrets)
            raise BackendError(f"cannot connect to Neo4j at {self.location}: {text}") from None

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

    @property
    def database(self) -> str:
        """The database this backend reads and writes (the server's default is called neo4j)."""
        return self._database or "neo4j"

    def __repr__(self) -> str:
        return f"Neo4jBackend({self.location!r}, database={self._database!r})"

    def _session(self, read_only: bool) -> Any:
        mode = self._neo4j.READ_ACCESS if read_only else self._neo4j.WRITE_ACCESS
        return self._driver.session(database=self._database, default_access_mode=mode)

    def _run(self, cypher: str, params: dict[str, Any] | None, read_only: bool) -> list[dict[str, Any]]:
        unusable = describe_unusable(params) if params else ""
        if unusable:
            raise UnusableParameter(unusable)
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
            raise BackendError(f"Neo4j: {code}: {_scrub(exc.message, self._secrets)}") from None
        except self._neo4j.exceptions.DriverError as exc:  # the connection broke, a timeout, ...
            raise self._driver_failure(exc) from None

    def _driver_failure(self, exc: Exception) -> BackendError:
        return BackendError(f"Neo4j at {self.location}: {type(exc).__name__}: {_scrub(exc, self._secrets)}")

    def read(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        refuse_outbound(cypher)
        return self._run(cypher, params, read_only=True)

    def write(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        return self._run(cypher, params, read_only=False)

    def upsert(self, batch: GraphBatch) -> WriteSummary:
        batch.check()
        tally = Tally(time.perf_counter())
        errors = self._neo4j.exceptions
        try:
            with self._session(read_only=False) as session:
                tx = session.begin_transaction()
                try:
                    for statement in upsert_statements(batch):
                        try:
                            record = tx.run(statement.cypher, statement.params).single()
                        except errors.Neo4jError as exc:
                            message = f"Neo4j: {exc.code}: {_scrub(exc.message, self._secrets)}"
                            raise BackendError(explain_failure(statement, message)) from None
                        tally.record(statement, int(record["written"]) if record else 0)
                    tx.commit()
                except BaseException:
                    if not tx.closed():
                        try:
                            tx.rollback()
                        except (errors.Neo4jError, errors.DriverError):
                            pass  # the connection is gone; the server drops the transaction; report the cause
                    raise
        except errors.Neo4jError as exc:
            raise BackendError(f"Neo4j: {exc.code}: {_scrub(exc.message, self._secrets)}") from None
        except errors.DriverError as exc:  # the connection broke, a timeout, an unknown commit outcome
            raise self._driver_failure(exc) from None
        return tally.summary(batch)

    def apply_schema(self, schema: Schema) -> None:
        # Look first and write only what is missing: every command opens through here, and a
        # read-only Neo4j user must still be able to run reports.
        names = {row["name"] for row in self.read("SHOW INDEXES YIELD name RETURN name AS name")}
        names |= {row["name"] for row in self.read("SHOW CONSTRAINTS YIELD name RETURN name AS name")}
        for label in schema.labels.values():
            if f"{label.name}_{KEY}_unique" not in names:
                self.write(
                    f"CREATE CONSTRAINT `{label.name}_{KEY}_unique` IF NOT EXISTS "
                    f"FOR (n:`{label.name}`) REQUIRE n.`{KEY}` IS UNIQUE"
                )
            for prop in label.all_properties:
                if prop.indexed and prop.name != KEY and f"{label.name}_{prop.name}" not in names:
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


class _Secrets:
    """What must never appear in a message, kept so that ``repr`` and ``vars`` cannot show it."""

    __slots__ = ("_values",)

    def __init__(self, values: tuple[str, ...]):
        self._values = values

    def __repr__(self) -> str:
        return "_Secrets(***)"

    def scrub(self, text: str) -> str:
        for value in self._values:
            text = text.replace(value, "***")
        return text


def _secrets(auth: tuple[str, str] | None) -> _Secrets:
    return _Secrets((auth[1],) if auth and auth[1] else ())


def _scrub(exc: BaseException | str | None, secrets: _Secrets) -> str:
    """The text of an error, on one line, without the password."""
    text = str(exc or "")
    text = " ".join(text.split())
    return secrets.scrub(text)
