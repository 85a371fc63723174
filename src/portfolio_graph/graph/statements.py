"""The Cypher text of a batched upsert, shared by both backends.

Labels and relationship types cannot be Cypher parameters, so they are spliced into the text,
but only after ``GraphBatch.check`` has confirmed each one against the schema. Every value
travels as a parameter.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Iterator

from .backend import BackendError
from .batch import GraphBatch, RelRow, WriteSummary
from .schema import KEY

DEFAULT_CHUNK = 5_000


@dataclass(frozen=True)
class Statement:
    cypher: str
    params: dict[str, Any]
    expected: int  # rows the statement must report as written; fewer means a missing endpoint
    what: str
    deletes: str | None = None  # "node" or "rel": a deletion, whose count is tallied, not checked


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


def _split_props(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != KEY}


def _by_endpoints(rels: list[RelRow]) -> dict[tuple[str, str], list[RelRow]]:
    grouped: dict[tuple[str, str], list[RelRow]] = {}
    for rel in rels:
        grouped.setdefault((rel.from_label, rel.to_label), []).append(rel)
    return grouped


def upsert_statements(batch: GraphBatch, chunk: int = DEFAULT_CHUNK) -> Iterator[Statement]:
    """Deletions first, then nodes, then relationships, each in UNWIND chunks."""
    for rel_type, rels in batch.delete_rels.items():
        for (from_label, to_label), group in _by_endpoints(rels).items():
            for part in _chunks(group, chunk):
                yield Statement(
                    f"UNWIND $rows AS row "
                    f"MATCH (a:`{from_label}` {{{KEY}: row.from}})-[r:`{rel_type}`]->(b:`{to_label}` {{{KEY}: row.to}}) "
                    "DELETE r RETURN count(*) AS written",
                    {"rows": [{"from": r.from_id, "to": r.to_id} for r in part]},
                    expected=-1,
                    what=f"delete {rel_type} {from_label}->{to_label}",
                    deletes="rel",
                )
    for label, ids in batch.delete_nodes.items():
        for part in _chunks(ids, chunk):
            yield Statement(
                f"UNWIND $ids AS key MATCH (n:`{label}` {{{KEY}: key}}) DETACH DELETE n "
                "RETURN count(*) AS written",
                {"ids": part},
                expected=-1,
                what=f"delete {label}",
                deletes="node",
            )
    for label, rows in batch.nodes.items():
        for part in _chunks(rows, chunk):
            yield Statement(
                f"UNWIND $rows AS row MERGE (n:`{label}` {{{KEY}: row.key}}) SET n += row.props "
                "RETURN count(n) AS written",
                {"rows": [{"key": r[KEY], "props": _split_props(r)} for r in part]},
                expected=len(part),
                what=f"upsert {label}",
            )
    for rel_type, rels in batch.rels.items():
        for (from_label, to_label), group in _by_endpoints(rels).items():
            for part in _chunks(group, chunk):
                yield Statement(
                    f"UNWIND $rows AS row "
                    f"MATCH (a:`{from_label}` {{{KEY}: row.from}}) "
                    f"MATCH (b:`{to_label}` {{{KEY}: row.to}}) "
                    f"MERGE (a)-[r:`{rel_type}`]->(b) SET r += row.props "
                    "RETURN count(r) AS written",
                    {
                        "rows": [
                            {"from": r.from_id, "to": r.to_id, "props": dict(r.properties)}
                            for r in part
                        ]
                    },
                    expected=len(part),
                    what=f"upsert {rel_type} {from_label}->{to_label}",
                )
