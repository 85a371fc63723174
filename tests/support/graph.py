"""What a graph holds, asked the same way on both engines."""

from __future__ import annotations

from typing import Any


def counts(backend: Any) -> tuple[int, int]:
    """(nodes, relationships) in the whole graph."""
    nodes = backend.read("MATCH (n) RETURN count(n) AS n")[0]["n"]
    rels = backend.read("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"]
    return nodes, rels
