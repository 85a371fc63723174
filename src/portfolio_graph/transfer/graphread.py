"""The whole graph read exactly: every node with its labels, every relationship, every property
with its type, label by label and type by type (a label's nodes at a time, not the whole graph).

Backends normalise results (an integral float reads as an int, so reports agree across engines);
a copy must not. Each query therefore also asks the engine which values are floats, in the
engine's own words (FalkorDB ``typeOf``, Neo4j's ``IS :: FLOAT``), and the reader turns those
back into floats.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Iterator

from ..errors import PortfolioGraphError
from ..graph import Backend
from ..graph.schema import KEY

_IS_FLOAT = {"falkordb": "typeOf({v}) = 'Float'", "neo4j": "{v} IS :: FLOAT"}
_IS_LIST = {"falkordb": "typeOf({v}) = 'List'", "neo4j": "{v} IS :: LIST<ANY>"}


class TransferError(PortfolioGraphError):
    """A dump, restore or copy could not be done, or its result did not match its source."""


@dataclass(frozen=True)
class Node:
    labels: tuple[str, ...]  # sorted
    props: dict[str, Any]

    @property
    def label(self) -> str:
        """The label the node is filed under (its first, sorted): one file per label."""
        return self.labels[0] if self.labels else ""


@dataclass(frozen=True)
class Rel:
    rel_type: str
    from_label: str
    from_id: Any
    to_label: str
    to_id: Any
    props: dict[str, Any]


def _typed_props(backend: Backend, var: str) -> str:
    """Cypher for ``[properties, float keys, [[list key, float marks], ...]]`` of one node or
    relationship. The map is what the client parses fastest (every value costs ~25 µs in the
    FalkorDB client); the keys of floats are few."""
    is_float, is_list = _IS_FLOAT[backend.name], _IS_LIST[backend.name]
    value = f"{var}[k]"
    items = f"CASE WHEN {is_list.format(v=value)} THEN {value} ELSE [] END"
    return (f"[properties({var}), [k IN keys({var}) WHERE {is_float.format(v=value)}], "
            f"[k IN keys({var}) WHERE {is_list.format(v=value)} | [k, [x IN {items} | {is_float.format(v='x')}]]]]")


def _props(raw: list[Any]) -> dict[str, Any]:
    props, floats, lists = raw
    props = {str(k): v for k, v in props.items()}
    for key in floats:
        if isinstance(props.get(key), (int, float)) and not isinstance(props[key], bool):
            props[key] = float(props[key])
    for key, marks in lists:
        value = props.get(key)
        if isinstance(value, list) and any(m is True for m in marks):
            props[key] = [float(v) if m is True and not isinstance(v, bool) else v for v, m in zip(value, marks)]
    return props


def labels_in_graph(backend: Backend) -> list[str]:
    rows = backend.read("MATCH (n) UNWIND labels(n) AS label RETURN DISTINCT label AS label")
    return sorted(str(r["label"]) for r in rows)


def types_in_graph(backend: Backend) -> list[str]:
    rows = backend.read("MATCH ()-[r]->() RETURN DISTINCT type(r) AS type")
    return sorted(str(r["type"]) for r in rows)


def nodes_of(backend: Backend, label: str) -> list[Node]:
    """The nodes filed under ``label``: those whose first sorted label it is."""
    rows = backend.read(f"MATCH (n:`{_name(label)}`) RETURN labels(n) AS labels, {_typed_props(backend, 'n')} AS props")
    nodes = [Node(tuple(sorted(r["labels"])), _props(r["props"])) for r in rows]
    return [n for n in nodes if n.label == label]


def rels_of(backend: Backend, rel_type: str) -> list[Rel]:
    rows = backend.read(
        f"MATCH (a)-[r:`{_name(rel_type)}`]->(b) RETURN labels(a) AS a, a.{KEY} AS a_id, labels(b) AS b, "
        f"b.{KEY} AS b_id, {_typed_props(backend, 'r')} AS props"
    )
    rels = []
    for r in rows:
        if r["a_id"] is None or r["b_id"] is None:
            raise TransferError(f"a {rel_type} relationship has an end without an {KEY!r} "
                                f"({sorted(r['a'])} -> {sorted(r['b'])}); give that node an id first "
                                "(portfolio-graph report run integrity -p check=unnamed lists them)")
        rels.append(Rel(rel_type, min(r["a"]), r["a_id"], min(r["b"]), r["b_id"], _props(r["props"])))
    return rels


def _name(name: str) -> str:
    if "`" in name:
        raise TransferError(f"a label or type with a backtick cannot be copied: {name!r}")
    return name


@dataclass
class Digest:
    """Counts and an order-free sha256 sum over every node and relationship (labels, properties
    with their types, ends): two graphs with the same digest hold the same data."""

    labels: dict[str, int] = field(default_factory=dict)
    types: dict[str, int] = field(default_factory=dict)
    total: int = 0

    def add_node(self, node: Node) -> None:
        self.labels[node.label] = self.labels.get(node.label, 0) + 1
        self._add(["node", list(node.labels), node.props])

    def add_rel(self, rel: Rel) -> None:
        self.types[rel.rel_type] = self.types.get(rel.rel_type, 0) + 1
        self._add(["rel", rel.rel_type, rel.from_label, rel.from_id, rel.to_label, rel.to_id, rel.props])

    def _add(self, item: list[Any]) -> None:
        # json tells 3 from 3.0 and true from 1; a sum (not xor) keeps repeated relationships.
        text = json.dumps(item, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        self.total = (self.total + int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest(), "big")) % (1 << 256)

    @property
    def sha256(self) -> str:
        return f"{self.total:064x}"

    def to_dict(self) -> dict[str, Any]:
        return {"labels": dict(sorted(self.labels.items())), "types": dict(sorted(self.types.items())),
                "sha256": self.sha256}


def walk(backend: Backend) -> Iterator[tuple[str, str, list[Node] | list[Rel]]]:
    """("node", label, nodes) for every label, then ("rel", type, rels) for every type."""
    for label in labels_in_graph(backend):
        yield "node", label, nodes_of(backend, label)
    for rel_type in types_in_graph(backend):
        yield "rel", rel_type, rels_of(backend, rel_type)


def graph_digest(backend: Backend) -> Digest:
    digest = Digest()
    for kind, _, items in walk(backend):
        for item in items:
            digest.add_node(item) if kind == "node" else digest.add_rel(item)  # type: ignore[arg-type]
    return digest


def snapshot(backend: Backend) -> dict[str, Any]:
    """Every node and relationship as sorted JSON lines (types kept): for tests that compare graphs."""
    nodes, rels = [], []
    for kind, _, items in walk(backend):
        for item in items:
            if kind == "node":
                nodes.append(json.dumps([list(item.labels), item.props], sort_keys=True, ensure_ascii=False))
            else:
                rels.append(json.dumps([item.rel_type, item.from_label, item.from_id, item.to_label, item.to_id,
                                        item.props], sort_keys=True, ensure_ascii=False))
    return {"nodes": sorted(nodes), "rels": sorted(rels)}
