"""``copy``: move a whole portfolio from one engine to the other (embedded FalkorDB to a Neo4j
server or cluster, or back), in one all-or-nothing write, counts and digest compared at the end."""

from __future__ import annotations

from typing import Any

from ..graph import Backend, GraphBatch, RelRow
from .graphread import Digest, TransferError, walk
from .write import replace_graph


def copy_graph(source: Backend, target: Backend, *, replace: bool = False) -> dict[str, Any]:
    """Copy every node and relationship of ``source`` into ``target``; returns the digest both hold."""
    if source.name == target.name and source.location == target.location:
        raise TransferError(f"copy: the source and the target are the same database ({source.location})")
    batch, digest = GraphBatch(), Digest()
    for kind, name, items in walk(source):
        for item in items:
            if kind == "node":
                digest.add_node(item)  # type: ignore[arg-type]
                batch.add_node(name, dict(item.props), new=True)  # type: ignore[union-attr]
            else:
                digest.add_rel(item)  # type: ignore[arg-type]
                batch.add_rel(name, RelRow(item.from_label, item.from_id, item.to_label, item.to_id,  # type: ignore[union-attr]
                                           dict(item.props)), new=True)  # type: ignore[union-attr]
    return replace_graph(target, batch, digest.to_dict(), replace=replace, action="copy",
                         source=f"{source.name} {source.location}")
