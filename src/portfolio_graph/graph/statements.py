"""The Cypher text of a batched upsert, shared by both backends.

Labels and relationship types cannot be Cypher parameters, so they are spliced into the text,
but only after ``GraphBatch.check`` has confirmed each one against the schema. Every value
travels as a parameter.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any, Iterator

from .backend import BackendError
from .batch import GraphBatch, RelRow, WriteSummary
from .schema import KEY

DEFAULT_CHUNK = 5_000


@dataclass(frozen=True)
class Statement:
    body: str  # the write, up to its RETURN
    counted: str  # the aggregate that counts the rows it wrote (or deleted)
    params: dict[str, Any]
    expected: int  # rows the statement must report as written; fewer means a missing endpoint
    what: str
    deletes: str | None = None  # "node" or "rel": a deletion, whose count is tallied, not checked

    @property
    def cypher(self) -> str:
        return f"{self.body} RETURN {self.counted} AS written"


@dataclass
class Tally:
    """What a batch's statements reported, checked and summed the same way on both engines."""

    started: float
    nodes_deleted: int = 0
    rels_deleted: int = 0

    def record(self, statement: Statement, written: int) -> None:
        if statement.deletes == "node":
            self.nodes_deleted += written
        elif statement.deletes == "rel":
            self.rels_deleted += written
        elif written != statement.expected:
            raise BackendError(
                f"{statement.what}: wrote {written} of {statement.expected} rows; "
                "a relationship endpoint is missing from the graph"
            )

    def summary(self, batch: GraphBatch) -> WriteSummary:
        return WriteSummary(batch.node_count, batch.rel_count, self.nodes_deleted,
                            time.perf_counter() - self.started, self.rels_deleted)


def _chunks(rows: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


_HOISTABLE = (str, int, bool, type(None))  # not float: -0.0 == 0.0 would be merged


def shared_properties(rows: list[dict[str, Any]], skip: str | None = None) -> dict[str, Any]:
    """Scalar properties every row gives the same value, of the same type (1 and True differ).

    A load's provenance (load id, file, checksum, sheet, source) repeats on every row of a file.
    Sent once per statement as ``$shared`` instead of once per row, the parameters shrink by
    about two thirds: less to serialise for FalkorDB's text header and less for either engine to
    parse.
    """
    if not rows:
        return {}
    first, rest = rows[0], rows[1:]
    shared = {}
    for name, value in first.items():
        if name == skip or type(value) not in _HOISTABLE:
            continue
        kind = type(value)
        if all(name in row and type(row[name]) is kind and row[name] == value for row in rest):
            shared[name] = value
    return shared


def _without(row: dict[str, Any], drop: dict[str, Any], skip: str | None = None) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != skip and k not in drop}


def _set_clause(var: str, shared: dict[str, Any]) -> str:
    return f"SET {var} += row.props" + (f", {var} += $shared" if shared else "")


def _params(rows: list[dict[str, Any]], shared: dict[str, Any]) -> dict[str, Any]:
    return {"rows": rows, "shared": shared} if shared else {"rows": rows}


def _by_endpoints(rels: list[RelRow]) -> dict[tuple[str, str], list[RelRow]]:
    grouped: dict[tuple[str, str], list[RelRow]] = {}
    for rel in rels:
        grouped.setdefault((rel.from_label, rel.to_label), []).append(rel)
    return grouped


def upsert_statements(batch: GraphBatch, chunk: int = DEFAULT_CHUNK) -> Iterator[Statement]:
    """Deletions first, then nodes, then relationships, each in UNWIND chunks; what the batch
    knows to be new is CREATEd, the rest MERGEd.

    Deletions use OPTIONAL MATCH so that every input row yields a row: ``one_query`` relies on it.
    """
    for rel_type, rels in batch.delete_rels.items():
        for (from_label, to_label), group in _by_endpoints(rels).items():
            for part in _chunks(group, chunk):
                yield Statement(
                    f"UNWIND $rows AS row "
                    f"OPTIONAL MATCH (a:`{from_label}` {{{KEY}: row.from}})-[r:`{rel_type}`]->"
                    f"(b:`{to_label}` {{{KEY}: row.to}}) DELETE r",
                    "count(r)",
                    {"rows": [{"from": r.from_id, "to": r.to_id} for r in part]},
                    expected=-1,
                    what=f"delete {rel_type} {from_label}->{to_label}",
                    deletes="rel",
                )
    for label, ids in batch.delete_nodes.items():
        for part in _chunks(ids, chunk):
            yield Statement(
                f"UNWIND $ids AS key OPTIONAL MATCH (n:`{label}` {{{KEY}: key}}) DETACH DELETE n",
                "count(n)",
                {"ids": part},
                expected=-1,
                what=f"delete {label}",
                deletes="node",
            )
    for verb, nodes in (("CREATE", batch.created_nodes), ("MERGE", batch.nodes)):
        for label, rows in nodes.items():
            for part in _chunks(rows, chunk):
                shared = shared_properties(part, skip=KEY)
                yield Statement(
                    f"UNWIND $rows AS row {verb} (n:`{label}` {{{KEY}: row.key}}) {_set_clause('n', shared)}",
                    "count(n)",
                    _params([{"key": r[KEY], "props": _without(r, shared, skip=KEY)} for r in part], shared),
                    expected=len(part),
                    what=f"{'create' if verb == 'CREATE' else 'upsert'} {label}",
                )
    for verb, all_rels in (("CREATE", batch.created_rels), ("MERGE", batch.rels)):
        for rel_type, rels in all_rels.items():
            for (from_label, to_label), group in _by_endpoints(rels).items():
                for part in _chunks(group, chunk):
                    shared = shared_properties([r.properties for r in part])
                    yield Statement(
                        f"UNWIND $rows AS row "
                        f"MATCH (a:`{from_label}` {{{KEY}: row.from}}) "
                        f"MATCH (b:`{to_label}` {{{KEY}: row.to}}) "
                        f"{verb} (a)-[r:`{rel_type}`]->(b) {_set_clause('r', shared)}",
                        "count(r)",
                        _params([{"from": r.from_id, "to": r.to_id, "props": _without(r.properties, shared)}
                                 for r in part], shared),
                        expected=len(part),
                        what=f"{'create' if verb == 'CREATE' else 'upsert'} {rel_type} {from_label}->{to_label}",
                    )


CHECK_FAILED = "Division by zero"
# How each engine says a CREATE met an existing key: FalkorDB, then Neo4j.
KEY_EXISTS = ("unique constraint violation", "already exists with label")


def key_exists(message: str) -> bool:
    """Whether an engine's error says a CREATE met a key that exists."""
    return any(words in message for words in KEY_EXISTS)


def explain_failure(statement: Statement, message: str) -> str:
    """The engine's message, and for a CREATE that met an existing key, what happened and what to do."""
    if statement.what.startswith("create ") and key_exists(message):
        return (f"{statement.what}: a node with one of these ids exists already; another write added it "
                f"after this one compared its rows with the graph. Nothing was written; run it again. "
                f"({message})")
    return message


def one_query(statements: list[Statement]) -> tuple[str, dict[str, Any]]:
    """The statements as a single query, for an engine that runs one query atomically and undoes
    it when it fails (FalkorDB), so a small batch needs no copy of the graph.

    After each write the rows it wrote are counted; a count that falls short (a relationship
    endpoint is missing) divides by zero, which fails the query (``CHECK_FAILED``) and so undoes
    everything before it. The WITH clauses between the parts carry only aggregates, never
    grouping keys: a grouping over no rows would yield no row and silently skip every later part.
    Returns nodes_deleted and rels_deleted.
    """
    parts = ["WITH 0 AS nodes_deleted, 0 AS rels_deleted"]
    params: dict[str, Any] = {}
    for index, statement in enumerate(statements):
        body = statement.body
        for name, value in statement.params.items():
            body = re.sub(rf"\${name}\b", f"${name}_{index}", body)
            params[f"{name}_{index}"] = value
        parts.append(f"WITH nodes_deleted, rels_deleted {body}")
        nodes, rels = "max(nodes_deleted)", "max(rels_deleted)"
        if statement.deletes == "node":
            parts.append(f"WITH {nodes} + {statement.counted} AS nodes_deleted, {rels} AS rels_deleted")
        elif statement.deletes == "rel":
            parts.append(f"WITH {nodes} AS nodes_deleted, {rels} + {statement.counted} AS rels_deleted")
        else:
            parts.append(f"WITH {nodes} AS nodes_deleted, {rels} AS rels_deleted, {statement.counted} AS written")
            parts.append("WITH nodes_deleted, rels_deleted, "
                         f"1 / (CASE WHEN written = {statement.expected} THEN 1 ELSE 0 END) AS checked")
    parts.append("RETURN nodes_deleted, rels_deleted")
    return " ".join(parts), params
