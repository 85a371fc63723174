"""What changed since a date: the field-level records every load writes (loaders/change_log.py).

One row per changed field, or per added, pruned or removed node or link, with the old and the new
value and the load that made the change, oldest first. The same query and the same unpacking serve
``portfolio-graph changes`` and ``Portfolio.changes()`` on both engines.
"""

from __future__ import annotations

import datetime as _dt
import json
from typing import Any

from ..errors import InputError
from ..graph import Backend
from ..graph.schema import SCHEMA, SchemaError

COLUMNS = ["at", "load_id", "file", "kind", "label", "id", "name", "status", "field", "old", "new"]

# Entries of a Change node are unpacked in Python; the id filter is applied in the query too, so
# only the nodes that hold the id are read.
CHANGES = """
MATCH (c:Change)
WHERE c.at >= $since AND ($label IS NULL OR c.label = $label)
  AND ($id IS NULL OR $id IN c.entity_ids OR $id IN coalesce(c.ends, []))
OPTIONAL MATCH (l:Load {id: c.load_id})
RETURN c.id AS change, c.at AS at, c.load_id AS load_id, l.name AS file, c.kind AS kind, c.label AS label,
       c.entity_ids AS ids, c.statuses AS statuses, c.fields AS fields, c.old_values AS olds, c.new_values AS news
ORDER BY at, load_id, change
"""


def since_text(value: str | _dt.date | _dt.datetime) -> str:
    """A date or time as the records store theirs (UTC ISO 8601), for comparing."""
    if isinstance(value, _dt.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=_dt.timezone.utc)
        return moment.astimezone(_dt.timezone.utc).isoformat(timespec="seconds")
    if isinstance(value, _dt.date):
        return value.isoformat()
    text = str(value).strip()
    try:
        return since_text(_dt.datetime.fromisoformat(text)) if "T" in text or " " in text else \
            _dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise InputError(f"--since {text!r:.40} is not a date; write it as 2023-04-01 or 2023-04-01T08:00") from None


def changes(backend: Backend, since: str | _dt.date | _dt.datetime, label: str | None = None,
            node_id: str | None = None) -> list[dict[str, Any]]:
    if label is not None:
        try:
            if label not in SCHEMA.rel_types:
                SCHEMA.label(label)
        except SchemaError as exc:
            raise InputError(f"--label: {exc}") from None
    rows = backend.read(CHANGES, {"since": since_text(since), "label": label, "id": node_id})
    out: list[dict[str, Any]] = []
    for row in rows:
        for entity, status, field, old, new in zip(row["ids"], row["statuses"], row["fields"], row["olds"], row["news"]):
            if node_id is not None and not _names(entity, node_id):
                continue
            out.append({"at": row["at"], "load_id": row["load_id"], "file": row["file"], "kind": row["kind"],
                        "label": row["label"], "id": entity, "name": None, "status": status, "field": field or None,
                        "old": _value(old), "new": _value(new)})
    _add_names(backend, out)
    return out


def _names(entity: str, node_id: str) -> bool:
    return entity == node_id or entity.startswith(node_id + " -> ") or entity.endswith(" -> " + node_id)


def _value(text: str) -> Any:
    return json.loads(text) if text else None


def _add_names(backend: Backend, rows: list[dict[str, Any]]) -> None:
    """The current name of each changed node (a pruned one has none left)."""
    wanted: dict[str, set[str]] = {}
    for row in rows:
        if row["kind"] == "node":
            wanted.setdefault(row["label"], set()).add(row["id"])
    names: dict[tuple[str, str], str] = {}
    for label, ids in wanted.items():
        SCHEMA.label(label)  # spliced below: only a schema label
        for found in backend.read(f"UNWIND $ids AS i MATCH (n:`{label}` {{id: i}}) RETURN n.id AS id, n.name AS name",
                                  {"ids": sorted(ids)}):
            names[(label, found["id"])] = found["name"]
    for row in rows:
        row["name"] = names.get((row["label"], row["id"]))


__all__ = ["COLUMNS", "changes", "since_text"]
