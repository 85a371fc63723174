"""This load compared with what the graph holds: added, changed, unchanged, missing, pruned.

Only data fields count. Provenance that changes with every load (load id, file, row) is written
with the data it describes but never makes a node "changed" on its own, so loading the same
file twice writes nothing but the load record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from ..graph import Backend
from ..graph.schema import KEY

CHUNK = 5_000
BOOKKEEPING = frozenset({"load_id", "source_file", "source_sha256", "source_sheet", "source_row"})
STATUSES = ("added", "changed", "unchanged", "missing", "pruned", "removed")


@dataclass
class Change:
    status: str  # added | changed | unchanged | missing | pruned | removed (a link a row replaced)
    kind: str  # node | relationship
    label: str  # a label, or a relationship type
    id: str  # node id, or "from_id -> to_id"
    name: str | None = None
    fields: list[tuple[str, Any, Any]] = field(default_factory=list)  # (field, old, new)

    def describe(self) -> str:
        head = f"{self.label} {self.id}" + (f" {self.name}" if self.name and self.name != self.id else "")
        if not self.fields:
            return head
        return head + ": " + "; ".join(f"{f}: {_show(old)} -> {_show(new)}" for f, old, new in self.fields)


def _show(value: Any) -> str:
    if value is None:
        return "(empty)"
    if isinstance(value, list):
        return "|".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def same(old: Any, new: Any) -> bool:
    if isinstance(old, (list, tuple)) and isinstance(new, (list, tuple)):
        return list(old) == list(new)
    if isinstance(old, bool) or isinstance(new, bool):
        return old is new
    if isinstance(old, (int, float)) and isinstance(new, (int, float)):
        return abs(old - new) <= 1e-9 * max(1.0, abs(old), abs(new))
    return old == new


def field_changes(old: dict[str, Any], new: dict[str, Any], covered: Iterable[str]) -> list[tuple[str, Any, Any]]:
    """Fields whose value differs; a covered field left empty in the new row clears the old value."""
    changes = []
    for name in dict.fromkeys([*new, *covered]):
        if name in BOOKKEEPING or name == KEY:
            continue
        before, after = old.get(name), new.get(name)
        if after is None and before is None:
            continue
        if not same(before, after):
            changes.append((name, before, after))
    return changes


def existing_nodes(backend: Backend, label: str, ids: list[str]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    if not ids or not backend.read(f"MATCH (n:`{label}`) RETURN 1 AS any LIMIT 1"):
        return found  # a label the graph does not hold yet: nothing to look up, row by row
    cypher = f"UNWIND $ids AS key MATCH (n:`{label}` {{{KEY}: key}}) RETURN n.{KEY} AS id, properties(n) AS props"
    for start in range(0, len(ids), CHUNK):
        for row in backend.read(cypher, {"ids": ids[start : start + CHUNK]}):
            found[row["id"]] = row["props"]
    return found


def existing_rels(backend: Backend, rel_type: str, from_label: str, to_label: str,
                  pairs: list[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
    found: dict[tuple[str, str], dict[str, Any]] = {}
    cypher = (f"UNWIND $pairs AS p MATCH (a:`{from_label}` {{{KEY}: p[0]}})-[r:`{rel_type}`]->"
              f"(b:`{to_label}` {{{KEY}: p[1]}}) RETURN p[0] AS f, p[1] AS t, properties(r) AS props")
    for start in range(0, len(pairs), CHUNK):
        chunk = [list(p) for p in pairs[start : start + CHUNK]]
        for row in backend.read(cypher, {"pairs": chunk}):
            found[(row["f"], row["t"])] = row["props"]
    return found


def current_links(backend: Backend, rel_type: str, from_label: str, to_label: str,
                  from_ids: list[str]) -> dict[str, set[str]]:
    """Targets each node links to now through ``rel_type``, for the nodes a load restates."""
    found: dict[str, set[str]] = {}
    cypher = (f"UNWIND $ids AS key MATCH (a:`{from_label}` {{{KEY}: key}})-[:`{rel_type}`]->(b:`{to_label}`) "
              f"RETURN a.{KEY} AS f, b.{KEY} AS t")
    for start in range(0, len(from_ids), CHUNK):
        for row in backend.read(cypher, {"ids": from_ids[start : start + CHUNK]}):
            found.setdefault(row["f"], set()).add(row["t"])
    return found


def same_source_nodes(backend: Backend, label: str, sources: list[str]) -> dict[str, str | None]:
    """Ids and names of stated (not inferred) nodes of the label that came from these sources."""
    rows = backend.read(
        f"MATCH (n:`{label}`) WHERE n.source IN $sources AND coalesce(n.inferred, false) = false "
        f"RETURN n.{KEY} AS id, n.name AS name",
        {"sources": sources},
    )
    return {row["id"]: row["name"] for row in rows}


@dataclass
class DiffCounts:
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    missing: int = 0
    pruned: int = 0
    removed: int = 0

    @classmethod
    def of(cls, changes: list[Change]) -> "DiffCounts":
        counts = cls()
        for change in changes:
            setattr(counts, change.status, getattr(counts, change.status) + 1)
        return counts
