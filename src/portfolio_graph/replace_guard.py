"""Commands that replace a whole graph ask first: a graph never loses data that its replacer did not write.

The demo, ``load_sample``, ``restore`` and ``copy`` replace what a graph holds. Before they do,
``check_replaceable`` looks at the graph:

- an empty graph is replaced;
- a graph that holds only what the demo (or ``load_sample``) wrote last time is replaced, when the
  caller allows it: the demo leaves a ``DemoRun`` mark with a fingerprint of everything it wrote,
  and the graph still matches that fingerprint;
- anything else is refused with ``GraphNotEmpty`` (exit 2) unless the caller says ``replace``. The
  message says what is there (counts, the last load) and how to proceed.

The fingerprint covers every node (labels and properties) and every relationship (type, ends and
properties), so a user's own row, a deleted node or an edited value all count as "something the
demo did not write".
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from .errors import InputError
from .graph import Backend

DEMO_MARK_LABEL = "DemoRun"
DEMO_MARK_ID = "demo"


class GraphNotEmpty(InputError):
    """The graph holds data the command would destroy; the message says what and how to proceed."""


@dataclass
class GraphContents:
    """What a graph holds, for the message that refuses to replace it."""

    labels: dict[str, int] = field(default_factory=dict)
    relationships: int = 0
    last_load: dict[str, Any] | None = None

    @property
    def nodes(self) -> int:
        return sum(self.labels.values())

    @property
    def empty(self) -> bool:
        return self.nodes == 0 and self.relationships == 0

    def describe(self) -> str:
        # The load history and its change records are bookkeeping, not what a user wrote.
        portfolio = {label: n for label, n in self.labels.items() if label not in ("Load", "Change")}
        counts = ", ".join(f"{count} {label}" for label, count in sorted(portfolio.items()))
        text = f"{sum(portfolio.values())} nodes ({counts or 'none'}) and {self.relationships} relationships"
        if self.labels.get("Load"):
            text += f"; {self.labels['Load']} load(s) in its history"
        if self.last_load:
            load = self.last_load
            text += (f"; last load {load.get('id')} of {load.get('file') or '?'} "
                     f"(source {load.get('source') or '?'}) at {load.get('loaded_at') or '?'}")
        return text


def graph_contents(backend: Backend) -> GraphContents:
    """Counts per label (the demo's own mark left out), relationships, and the newest load."""
    labels: dict[str, int] = {}
    for row in backend.read("MATCH (n) UNWIND labels(n) AS label RETURN label AS label, count(*) AS count"):
        if row["label"] != DEMO_MARK_LABEL:
            labels[row["label"]] = int(row["count"])
    relationships = backend.read("MATCH ()-[r]->() RETURN count(r) AS count")[0]["count"]
    last = backend.read(
        "MATCH (l:Load) RETURN l.id AS id, l.file AS file, l.source AS source, l.loaded_at AS loaded_at "
        "ORDER BY loaded_at DESC, id DESC LIMIT 1"
    )
    return GraphContents(labels, int(relationships), last[0] if last else None)


def graph_fingerprint(backend: Backend) -> str:
    """sha256 over every node and relationship with its properties, the demo's mark left out."""
    nodes = backend.read(
        f"MATCH (n) WHERE NOT n:{DEMO_MARK_LABEL} RETURN labels(n) AS labels, properties(n) AS props"
    )
    rels = backend.read(
        "MATCH (a)-[r]->(b) RETURN type(r) AS type, a.id AS start, b.id AS end, properties(r) AS props"
    )
    lines = sorted(json.dumps([sorted(row["labels"]), row["props"]], sort_keys=True, ensure_ascii=False, default=str)
                   for row in nodes)
    lines += sorted(json.dumps([row["type"], row["start"], row["end"], row["props"]], sort_keys=True,
                               ensure_ascii=False, default=str) for row in rels)
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode("utf-8") + b"\n")
    return digest.hexdigest()


def mark_demo(backend: Backend) -> None:
    """Record that the graph holds exactly what the demo wrote, so the next demo may replace it."""
    fingerprint = graph_fingerprint(backend)
    backend.write(
        f"MERGE (m:{DEMO_MARK_LABEL} {{id: $id}}) SET m.fingerprint = $fingerprint, m.marked_at = $at",
        {"id": DEMO_MARK_ID, "fingerprint": fingerprint,
         "at": datetime.now(timezone.utc).isoformat(timespec="seconds")},
    )


def holds_only_the_demo(backend: Backend) -> bool:
    """True when the graph is exactly what the last demo (or load_sample) left in it."""
    mark = backend.read(f"MATCH (m:{DEMO_MARK_LABEL} {{id: $id}}) RETURN m.fingerprint AS fingerprint",
                        {"id": DEMO_MARK_ID})
    return bool(mark) and mark[0]["fingerprint"] == graph_fingerprint(backend)


def check_replaceable(backend: Backend, *, replace: bool, action: str, allow_demo: bool = False,
                      how: str = "") -> GraphContents:
    """Refuse (``GraphNotEmpty``, exit 2) to replace a graph that holds data, unless ``replace``.

    ``allow_demo`` lets a graph that holds only an earlier demo be replaced without asking.
    ``how`` is added to the message: the other way to proceed (a separate database, say).
    Returns what the graph holds.
    """
    contents = graph_contents(backend)
    if contents.empty or replace or (allow_demo and holds_only_the_demo(backend)):
        return contents
    where = f"{backend.name} {backend.location}"
    message = (f"{action} would replace everything in {where}, which holds data that {action} did not write: "
               f"{contents.describe()}. Nothing was changed. To replace it, run again with --replace")
    if how:
        message += f"; or {how}"
    raise GraphNotEmpty(message + ".")


__all__ = ["GraphContents", "GraphNotEmpty", "check_replaceable", "graph_contents", "graph_fingerprint",
           "holds_only_the_demo", "mark_demo"]
