"""Field-level change records: what a load changed, kept in the graph for ``portfolio-graph changes``.

A load already knows its diff (``Change``: added, changed with (field, old, new), pruned, removed).
The record step writes it in the same all-or-nothing batch, as few ``Change`` nodes as it can: one
per label (or relationship type) and chunk of entries, each node holding parallel lists (entity id,
status, field, old and new value as JSON). An added node or link is one entry without values (its
values are on the node); a changed one is one entry per changed field. Nodes merely missing from a
load are not changes and are not recorded. A load that changes nothing writes no record.
"""

from __future__ import annotations

import json
from typing import Any, Iterable

from ..graph import GraphBatch
from ..graph.schema import KEY
from .diff import Change

CHUNK = 5_000  # entries per Change node: bounds the size of one node's lists
RECORDED = ("added", "changed", "pruned", "removed")


def _json(value: Any) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def change_entries(changes: Iterable[Change]) -> dict[tuple[str, str], list[tuple[str, str, str, str, str]]]:
    """(kind, label) -> entries (entity id, status, field, old JSON, new JSON)."""
    grouped: dict[tuple[str, str], list[tuple[str, str, str, str, str]]] = {}
    for change in changes:
        if change.status not in RECORDED:
            continue
        entries = grouped.setdefault((change.kind, change.label), [])
        if change.status == "changed" and change.fields:
            entries += [(change.id, "changed", name, _json(old), _json(new)) for name, old, new in change.fields]
        else:
            entries.append((change.id, change.status, "", "", ""))
    return grouped


def add_change_records(batch: GraphBatch, changes: Iterable[Change], load_id: str, at: str) -> int:
    """Add the load's Change nodes to its batch; returns how many entries were recorded."""
    count = 0
    number = 0
    for (kind, label), entries in sorted(change_entries(changes).items()):
        for start in range(0, len(entries), CHUNK):
            part = entries[start:start + CHUNK]
            number += 1
            batch.add_node("Change", {
                KEY: f"{load_id}#{number}", "name": f"{label} ({len(part)})", "load_id": load_id, "at": at,
                "kind": kind, "label": label,
                "entity_ids": [e[0] for e in part], "statuses": [e[1] for e in part],
                **({"ends": [end for e in part for end in e[0].split(" -> ", 1)]} if kind == "relationship" else {}),
                "fields": [e[2] for e in part], "old_values": [e[3] for e in part],
                "new_values": [e[4] for e in part],
            }, new=True)
            count += len(part)
    return count


__all__ = ["add_change_records", "change_entries"]
