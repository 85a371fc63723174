"""The Cypher text of a batched upsert, shared by both backends.

Labels and relationship types cannot be Cypher parameters, so they are spliced into the text,
but only after ``GraphBatch.check`` has confirmed each one against the schema. Every value
travels as a parameter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from .batch import GraphBatch
from .schema import KEY

DEFAULT_CHUNK = 5_000


@dataclass(frozen=True)
class Statement:
    cypher: str
    params: dict[str, Any]
    expected: int  # rows the statement must report as written; fewer means a missing endpoint
    what: str


def _chunks(rows: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _split_props(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != KEY}


def upsert_statements(batch: GraphBatch, chunk: int = DEFAULT_CHUNK) -> Iterator[Statement]:
    """Deletions first, then nodes, then relationships, each in UNWIND chunks."""
    for label, ids in batch.delete_nodes.items():
        for part in _chunks(ids, chunk):
            yield Statement(
                f"UNWIND $ids AS key MATCH (n:`{label}` {{{KEY}: key}}) DETACH DELETE n "
                "RETURN count(*) AS written",
                {"ids": part},
                expected=-1,
                what=f"delete {label}",
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
        by_endpoints: dict[tuple[str, str], list[Any]] = {}
        for rel in rels:
            by_endpoints.setdefault((rel.from_label, rel.to_label), []).append(rel)
        for (from_label, to_label), group in by_endpoints.items():
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
