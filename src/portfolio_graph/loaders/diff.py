"""This load compared with what the graph holds: added, changed, unchanged, missing, pruned,
and the links a row's cell no longer lists (removed).

Only data fields count. Provenance that changes with every load (load id, file, row) is written
with the data it describes but never makes a node "changed" on its own, so loading the same
file twice writes nothing but the load record.

The three steps of the pipeline that compare (``diff_nodes``, ``diff_links``, ``replaced_links``)
fill one ``Diff``: the batch to write and the changes to report. The queries below them ask
the graph in chunks of ``CHUNK`` ids.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from ..graph import Backend, GraphBatch, RelRow
from ..graph.schema import KEY
from ..i18n import _
from ..graph.statements import DEFAULT_CHUNK as CHUNK  # rows per query, as the writes use
from ..output.safety import show_controls
from .records import NodeRecord, Pos
from .resolve import ResolvedRel
from .schedule_rows import replaced_progress

BOOKKEEPING = frozenset({"load_id", "source_file", "source_sha256", "source_sheet", "source_row"})
# Where a row came from, as the properties written with it (see pipeline.Stamp.provenance).
Provenance = Callable[[Pos], dict[str, Any]]


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
        if self.fields:
            head += ": " + "; ".join(f"{f}: {_show(old)} -> {_show(new)}" for f, old, new in self.fields)
        # Shown on a terminal: a CR, an escape sequence or U+202E in a changed value must be seen,
        # not obeyed (it could hide the change), and a line break must not start a forged line.
        return show_controls(head).replace("\n", "\\n")


def _show(value: Any) -> str:
    if value is None:
        return _("(empty)")
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


@dataclass
class Diff:
    """What this load changes: the batch to write, and the changes to report."""

    batch: GraphBatch = field(default_factory=GraphBatch)
    changes: list[Change] = field(default_factory=list)  # added, changed, missing, pruned, removed
    unchanged_by_label: dict[str, int] = field(default_factory=dict)  # a label or relationship type
    # Nodes this load creates: a relationship touching one cannot exist yet, so the diff does not
    # ask the graph about it (on a first load that is every relationship), and both are CREATEd.
    new_ids: dict[str, set[str]] = field(default_factory=dict)

    def unchanged(self, label: str) -> None:
        self.unchanged_by_label[label] = self.unchanged_by_label.get(label, 0) + 1


def diff_nodes(backend: Backend, diff: Diff, nodes: list[NodeRecord], stubs: dict[tuple[str, str], dict[str, Any]],
               sources: list[str], prune: bool, provenance: Provenance, load_id: str) -> None:
    """Each node row against the graph: added, changed or unchanged; then the nodes of the same
    sources this load no longer lists (missing, or pruned with ``prune``); then the stubs.
    A month of progress reports loaded again replaces the month whole: its absent rows go."""
    by_label: dict[str, list[NodeRecord]] = {}
    for record in nodes:
        by_label.setdefault(record.label, []).append(record)
    for label, records in by_label.items():
        old_nodes = existing_nodes(backend, label, [r.props[KEY] for r in records])
        for record in records:
            _diff_node(diff, record, old_nodes.get(record.props[KEY]), provenance)
        replace = label == "Progress"
        loaded = {r.props[KEY] for r in records}
        stale = replaced_progress(backend, records) if replace else {
            i: n for i, n in same_source_nodes(backend, label, sources).items() if i not in loaded}
        for node_id, name in sorted(stale.items()):
            diff.changes.append(Change("pruned" if prune or replace else "missing", "node", label, node_id, name))
            if prune or replace:
                diff.batch.delete_node(label, node_id)
    for (label, _stub_id), props in stubs.items():
        diff.new_ids.setdefault(label, set()).add(props[KEY])
        diff.changes.append(Change("added", "node", label, props[KEY], props["name"], [("inferred", None, True)]))
        diff.batch.add_node(label, {**props, "load_id": load_id}, new=True)


def _diff_node(diff: Diff, record: NodeRecord, old: dict[str, Any] | None, provenance: Provenance) -> None:
    label, node_id, name = record.label, record.props[KEY], record.props.get("name")
    if old is None:
        diff.new_ids.setdefault(label, set()).add(node_id)
        diff.changes.append(Change("added", "node", label, node_id, name))
        diff.batch.add_node(label, {**record.props, **provenance(record.pos)}, new=True)
        return
    # A stated row replaces a stub an earlier --create-missing made: its inferred flag goes.
    fields = field_changes(old, record.props, record.covered | {"inferred", "inferred_reason"})
    if not fields:
        diff.unchanged(label)
        return
    diff.changes.append(Change("changed", "node", label, node_id, name, fields))
    cleared = {field_name: None for field_name, _, new in fields if new is None}
    diff.batch.add_node(label, {**record.props, **cleared, **provenance(record.pos)})


def diff_links(backend: Backend, diff: Diff, rels: list[ResolvedRel], default_source: str,
               provenance: Provenance) -> None:
    """Each relationship against the graph (only those between nodes that exist already)."""
    groups: dict[tuple[str, str, str], list[ResolvedRel]] = {}
    for rel in rels:
        groups.setdefault((rel.rel_type, rel.from_label, rel.to_label), []).append(rel)
    for (rel_type, from_label, to_label), group in groups.items():
        new_from, new_to = diff.new_ids.get(from_label, set()), diff.new_ids.get(to_label, set())
        known = [(r.from_id, r.to_id) for r in group if r.from_id not in new_from and r.to_id not in new_to]
        old_rels = existing_rels(backend, rel_type, from_label, to_label, known) if known else {}
        for rel in group:
            props = {**rel.props, "source": rel.props.get("source") or default_source}
            old = old_rels.get((rel.from_id, rel.to_id))
            rel_id = f"{rel.from_id} -> {rel.to_id}"
            if old is None:
                diff.changes.append(Change("added", "relationship", rel_type, rel_id))
            else:
                fields = field_changes(old, props, ())
                if not fields:
                    diff.unchanged(rel_type)
                    continue
                diff.changes.append(Change("changed", "relationship", rel_type, rel_id, None, fields))
            row = RelRow(from_label, rel.from_id, to_label, rel.to_id, {**props, **provenance(rel.pos)})
            diff.batch.add_rel(rel_type, row, new=rel.from_id in new_from or rel.to_id in new_to)


def replaced_links(backend: Backend, diff: Diff,
                   link_scopes: dict[tuple[str, str, str, str], AbstractSet[str]]) -> None:
    """Links a node row's link column no longer lists are removed, as a changed cell replaces a
    value. ``link_scopes``: (type, from_label, from_id, to_label) -> the targets the cell lists."""
    by_ends: dict[tuple[str, str, str], dict[str, AbstractSet[str]]] = {}
    for (rel_type, from_label, from_id, to_label), targets in link_scopes.items():
        by_ends.setdefault((rel_type, from_label, to_label), {})[from_id] = targets
    for (rel_type, from_label, to_label), stated in by_ends.items():
        new_from = diff.new_ids.get(from_label, set())
        known_from = [from_id for from_id in stated if from_id not in new_from]
        now_linked = current_links(backend, rel_type, from_label, to_label, known_from) if known_from else {}
        for from_id, old_targets in sorted(now_linked.items()):
            for to_id in sorted(old_targets - stated[from_id]):
                diff.changes.append(Change("removed", "relationship", rel_type, f"{from_id} -> {to_id}"))
                diff.batch.delete_rel(rel_type, RelRow(from_label, from_id, to_label, to_id))
