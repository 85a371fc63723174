"""One all-or-nothing write of a whole graph into a target, checked against its source's digest."""

from __future__ import annotations

from typing import Any

from ..graph import Backend, GraphBatch
from ..graph.schema import KEY
from ..replace_guard import check_replaceable
from .graphread import TransferError, graph_digest


def _delete_everything(backend: Backend, batch: GraphBatch) -> None:
    """Deletions of every node the target holds, in the same batch as the new graph (the engines
    run deletions first), so a failed write leaves the old graph as it was."""
    rows = backend.read(f"MATCH (n) RETURN labels(n) AS labels, n.{KEY} AS id")
    for row in rows:
        if row["id"] is None or not row["labels"]:
            raise TransferError(f"{backend.name} {backend.location} holds a node without an {KEY!r} or a label; "
                                "it cannot be replaced in one write. Empty it first, or use another database")
        batch.delete_node(min(row["labels"]), row["id"])


def replace_graph(backend: Backend, batch: GraphBatch, expected: dict[str, Any], *, replace: bool, action: str,
                  source: str) -> dict[str, Any]:
    """Write ``batch`` (a whole graph) into ``backend``, replacing what it holds only with
    ``replace``, then compare counts and digest with ``expected``. Returns the new digest."""
    contents = check_replaceable(backend, replace=replace, action=action,
                                 how="give an empty database (--to-db NEW_FOLDER, or another Neo4j database)")
    if not contents.empty:
        _delete_everything(backend, batch)
    backend.upsert(batch)
    got = graph_digest(backend).to_dict()
    if got != expected:
        if contents.empty:
            backend.clear()  # the target was empty: leave it so rather than half right
        differs = [k for k in ("labels", "types", "sha256") if got.get(k) != expected.get(k)]
        raise TransferError(
            f"{action}: the graph written to {backend.name} {backend.location} does not match {source} "
            f"({', '.join(differs)} differ: expected {expected.get('labels')} / {expected.get('types')}, "
            f"got {got.get('labels')} / {got.get('types')})"
            + ("; the target was emptied again" if contents.empty else ""))
    return got
