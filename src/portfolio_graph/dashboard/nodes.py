"""The page's node table: every node the page shows, once, with where it came from.

Sections refer to nodes by their index in this table, so a name and its provenance travel once
however many sections show it. Provenance is either a quote from the seed report (source,
section, quote) or a loaded file's name, sheet and row; file and source names are interned.
"""

from __future__ import annotations

from typing import Any

from ..graph import Backend

PROVENANCE = ("source", "section", "quote", "source_file", "source_sheet", "source_row", "inferred", "inferred_reason")
_FIELDS = ", ".join(f"n.{name} AS {name}" for name in PROVENANCE)


# What each section needs of a label besides id, name, aliases and provenance.
FIELDS: dict[str, tuple[str, ...]] = {
    "Project": ("status", "level", "investment_yi", "year", "kind", "start", "planned_end"),
    "Parcel": ("land_status",), "Area": ("kind",), "ChainSegment": ("position", "stream", "template_segment", "template_order"), "Chain": ("industry", "template"),
    "Goal": ("metric", "year", "target_value", "actual_value", "unit", "comparator"),
}


class NodeTable:
    """Nodes by (label, id) → index; ``rows`` is what the page embeds. Also the one reader of nodes:
    each label is read once (``all``), or only the ids a section lists (``some``: at scale M a page
    lists a few of the 100,000 enterprises)."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self._read: dict[str, dict[str, dict[str, Any]]] = {}
        self._complete: set[str] = set()
        self.rows: list[dict[str, Any]] = []
        self.index: dict[tuple[str, str], int] = {}
        self.strings: list[str] = []  # interned file and source names
        self._string_index: dict[str, int] = {}

    def all(self, label: str) -> dict[str, dict[str, Any]]:
        if label not in self._complete:
            self._read[label] = {row["id"]: row for row in read_nodes(self.backend, label, FIELDS.get(label, ()))}
            self._complete.add(label)
        return self._read[label]

    def some(self, label: str, ids: set[str]) -> dict[str, dict[str, Any]]:
        known = self._read.setdefault(label, {})
        missing = sorted(i for i in ids if i not in known) if label not in self._complete else []
        for start in range(0, len(missing), 5000):
            for row in read_nodes(self.backend, label, FIELDS.get(label, ()), missing[start:start + 5000]):
                known[row["id"]] = row
        return {i: known[i] for i in ids if i in known}

    def intern(self, text: str) -> int:
        if text not in self._string_index:
            self._string_index[text] = len(self.strings)
            self.strings.append(text)
        return self._string_index[text]

    def provenance(self, props: dict[str, Any]) -> dict[str, Any] | None:
        """Compact provenance of a node or a link: q/sec/src for a quote, f/sh/r for a file row,
        inf/why for an inferred one. None when nothing says where it came from."""
        out: dict[str, Any] = {}
        if props.get("quote"):
            out["q"] = props["quote"]
        if props.get("section"):
            out["sec"] = props["section"]
        source, file = props.get("source"), props.get("source_file")
        # A loaded file's source defaults to the file's own name: said once, by the file.
        if source and not (file and str(file).replace("\\", "/").rsplit("/", 1)[-1] == str(source)):
            out["src"] = self.intern(str(source))
        if file:
            out["f"] = self.intern(str(file))
        if props.get("source_sheet"):
            out["sh"] = props["source_sheet"]
        if props.get("source_row") is not None:
            out["r"] = props["source_row"]
        if props.get("inferred"):
            out["inf"] = 1
            if props.get("inferred_reason"):
                out["why"] = props["inferred_reason"]
        return out or None

    def add(self, label: str, props: dict[str, Any]) -> int:
        key = (label, str(props["id"]))
        if key in self.index:
            return self.index[key]
        row: dict[str, Any] = {"l": label, "i": props["id"], "n": props.get("name") or props["id"]}
        if props.get("aliases"):
            row["a"] = list(props["aliases"])
        prov = self.provenance(props)
        if prov:
            row["p"] = prov
        self.index[key] = len(self.rows)
        self.rows.append(row)
        return self.index[key]

    def get(self, label: str, node_id: Any) -> int | None:
        return self.index.get((label, str(node_id)))


def read_nodes(backend: Backend, label: str, extra: tuple[str, ...] = (), ids: list[str] | None = None) -> list[dict[str, Any]]:
    """Every node of ``label`` (a schema label, never user text), or those with ``ids``, with their
    provenance and ``extra``."""
    fields = ", ".join(f"n.{name} AS {name}" for name in ("id", "name", "aliases", *extra))
    where = "" if ids is None else " WHERE n.id IN $ids"
    return backend.read(f"MATCH (n:`{label}`){where} RETURN {fields}, {_FIELDS} ORDER BY n.id", {"ids": ids})


def read_links(backend: Backend, rel: str, source: str, target: str, extra: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Every ``rel`` link from ``source`` to ``target`` nodes (schema names), with the link's own
    provenance as ``link`` and its endpoints' ids as ``a`` and ``b``."""
    fields = ", ".join(f"r.{name} AS {name}" for name in (*PROVENANCE, *extra))
    return backend.read(
        f"MATCH (x:`{source}`)-[r:`{rel}`]->(y:`{target}`) RETURN x.id AS a, y.id AS b, {fields} ORDER BY a, b"
    )
