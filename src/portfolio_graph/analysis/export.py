"""The graph as a networkx MultiDiGraph, and files Gephi and yEd open (GraphML, node-link JSON).

The contract:

- A node's key is ``"Label:id"`` (e.g. ``"Project:P-shengyi-4"``). Its attributes are every
  property the database holds plus ``label``, the node's schema label.
- An edge's key is its relationship type (``"DEPENDS_ON"``); its attributes are the
  relationship's properties plus ``type``. Loads MERGE one relationship per type between two
  nodes, so the type identifies it.
- Bookkeeping labels (``Load``) and nodes without an ``id`` are left out; so are their edges.
- ``stated_only=True`` leaves out relationships marked ``inferred=true`` (the strict reading);
  nodes stay.
- A subgraph is chosen by a Cypher query: every node the query returns, in any column, on its
  own, in a list or in a path, is selected, and the result is the subgraph *induced* by the
  selection: those nodes and every relationship between two of them. Rows with nulls (from
  OPTIONAL MATCH) are fine; values that are not nodes are ignored. The whole graph is read
  once and the selection cut from it, so both engines give the same subgraph.

Example: one chain with its segments and their enterprises::

    to_networkx(pf, "MATCH (c:Chain {name: $chain}) OPTIONAL MATCH (s:ChainSegment)-[:PART_OF]->(c) "
                    "OPTIONAL MATCH (e:Enterprise)-[:IN_SEGMENT]->(s) RETURN c, s, e", {"chain": "芯片封装检测"})
"""

from __future__ import annotations

import json
from pathlib import Path, PurePath
from typing import Any, Iterable

import networkx as nx

from ..errors import InputError, PortfolioGraphError
from ..i18n import _
from ..graph.schema import KEY, SCHEMA

LIST_SEPARATOR = "|"  # how GraphML (no list type) carries list properties; the sample CSVs use it too


def node_key(label: str, node_id: str) -> str:
    return f"{label}:{node_id}"


def _portfolio_label(labels: Iterable[str]) -> str | None:
    """The node's schema label; None for bookkeeping labels and labels the schema lacks."""
    for label in sorted(labels):
        known = SCHEMA.labels.get(label)
        if known is not None and not known.system:
            return label
    return None


def _backend_of(source: Any) -> Any:
    backend = getattr(source, "backend", source)
    if not callable(getattr(backend, "read", None)):
        raise TypeError(f"expected a Portfolio, a Backend or a networkx graph, got {type(source).__name__}")
    return backend


def to_networkx(
    source: Any,
    cypher: str | None = None,
    params: dict[str, Any] | None = None,
    *,
    stated_only: bool = False,
) -> nx.MultiDiGraph:
    """Export the whole graph, or the subgraph a Cypher query selects, as a MultiDiGraph.

    ``source`` is a Portfolio or a Backend. See the module docstring for the contract.
    """
    backend = _backend_of(source)
    graph = nx.MultiDiGraph()
    graph.graph.update(engine=backend.name, stated_only=stated_only)
    # Sorted, so both engines build the graph in the same order and ties break the same way.
    nodes = []
    # labels() and properties() rather than the node itself: plain values on both engines.
    for row in backend.read("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props"):
        props = dict(row["props"] or {})
        label = _portfolio_label(row["labels"] or [])
        if label is None or not isinstance(props.get(KEY), str):
            continue
        nodes.append((node_key(label, props[KEY]), {"label": label, **props}))
    graph.add_nodes_from(sorted(nodes, key=lambda item: item[0]))
    edges = []
    for row in backend.read(
        "MATCH (a)-[r]->(b) RETURN labels(a) AS a_labels, a.id AS a_id, type(r) AS type, "
        "properties(r) AS props, labels(b) AS b_labels, b.id AS b_id"
    ):
        a_label, b_label = _portfolio_label(row["a_labels"]), _portfolio_label(row["b_labels"])
        if a_label is None or b_label is None:
            continue
        u, v = node_key(a_label, str(row["a_id"])), node_key(b_label, str(row["b_id"]))
        if u not in graph or v not in graph:
            continue
        props = dict(row["props"] or {})
        rel_type = row["type"]
        if stated_only and props.get("inferred") is True:
            continue
        edges.append((u, v, rel_type, {"type": rel_type, **props}))
    graph.add_edges_from(sorted(edges, key=lambda item: item[:3]))
    if cypher is None:
        return graph
    selected = selected_keys(backend.read(cypher, params), graph)
    sub = graph.subgraph(selected).copy()
    sub.graph.update(graph.graph, query=cypher)
    return sub


def selected_keys(rows: list[dict[str, Any]], graph: nx.MultiDiGraph) -> set[str]:
    """Keys of the graph's nodes that a query returned, in any column, list or path.

    A returned node is recognised by its labels and ``id``. Where the engine's result gives a
    node without its labels, every node with that ``id`` is selected (ids are unique per label;
    the sample's ids carry a label prefix, so in practice this is the one node).
    """
    by_id: dict[str, list[str]] = {}
    for key, data in graph.nodes(data=True):
        by_id.setdefault(str(data.get(KEY)), []).append(key)
    keys: set[str] = set()

    def visit(value: Any) -> None:
        if isinstance(value, dict):
            node_id = value.get(KEY)
            if not isinstance(node_id, str):
                return
            label = _portfolio_label(value["_labels"]) if "_labels" in value else None
            if label is not None:
                keys.add(node_key(label, node_id))
            elif "_labels" not in value:
                keys.update(by_id.get(node_id, []))
        elif isinstance(value, list):
            for item in value:
                visit(item)

    for row in rows:
        for value in row.values():
            visit(value)
    return {key for key in keys if key in graph}


def as_graph(source: Any, *, stated_only: bool = False) -> nx.MultiDiGraph:
    """A networkx graph as it is, or the whole graph exported from a Portfolio or Backend."""
    if isinstance(source, nx.MultiDiGraph):
        return source
    return to_networkx(source, stated_only=stated_only)


# -- looking nodes up by what people type ---------------------------------------------------------


def find_node(graph: nx.MultiDiGraph, text: str, labels: Iterable[str] | None = None) -> str:
    """The key of the one node ``text`` names: its key, id, name or one of its aliases.

    Raises ValueError naming the candidates when nothing or more than one node matches.
    """
    wanted = set(labels) if labels else None
    text = text.strip()
    candidates = [
        (key, data) for key, data in graph.nodes(data=True) if wanted is None or data.get("label") in wanted
    ]
    for match in (
        lambda k, d: k == text,
        lambda k, d: d.get(KEY) == text,
        lambda k, d: d.get("name") == text,
        lambda k, d: text in (d.get("aliases") or []),
    ):
        found = sorted(key for key, data in candidates if match(key, data))
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise InputError(f"{text!r:.80} names more than one node: {', '.join(found)}; give the id")
    kinds = "/".join(sorted(wanted)) if wanted else "node"
    partial = sorted(
        f"{data.get('name')} ({data.get(KEY)})"
        for key, data in candidates
        if text and (text in str(data.get("name", "")) or any(text in a for a in data.get("aliases") or []))
    )
    hint = f"; did you mean: {', '.join(partial[:8])}" if partial else ""
    # The text is shown cut, as parameter messages are: a 10 MB argument printed 10 MB.
    raise InputError(f"no {kinds} is named {text!r:.80} (by id, name or alias){hint}")


def display_name(graph: nx.MultiDiGraph, key: str) -> str:
    data = graph.nodes[key]
    return str(data.get("name") or data.get(KEY) or key)


# -- files ---------------------------------------------------------------------------------------


def _flat(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def graphml_ready(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy GraphML can hold and Gephi/yEd read well.

    - Lists become ``|``-joined strings (GraphML has no list type); None values are dropped.
    - A node's ``label`` holds its display name, because Gephi shows that attribute; the
      schema label moves to ``schema_label``.
    - Edges get document-unique ids (``e0``, ``e1`` …): Gephi drops edges whose ids repeat.
      Their relationship type is in ``type`` and ``label``.
    """
    out = nx.MultiDiGraph()
    out.graph.update({k: _flat(v) for k, v in graph.graph.items() if v is not None})
    for key, data in graph.nodes(data=True):
        attrs = {k: _flat(v) for k, v in data.items() if v is not None and k != "label"}
        attrs["schema_label"] = data.get("label")
        attrs["label"] = data.get("name") or data.get(KEY) or key
        out.add_node(key, **attrs)
    for index, (u, v, rel_type, data) in enumerate(sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3])):
        attrs = {k: _flat(val) for k, val in data.items() if val is not None}
        attrs["label"] = rel_type
        out.add_edge(u, v, key=f"e{index}", **attrs)
    return out


def write_graphml(graph: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write GraphML for Gephi or yEd (see ``graphml_ready`` for what changes on the way)."""
    path = Path(path)
    nx.write_graphml(graphml_ready(graph), path, infer_numeric_types=True)
    return path


# Properties whose names the node-link structure itself uses are renamed on the way out.
NODE_LINK_RENAMES = {
    "node": {KEY: "node_id"},
    "edge": {"source": "fact_source", "target": "fact_target", "key": "fact_key"},
}


def node_link(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """Node-link data (d3 style): ``nodes`` with ``id`` = the node key, ``edges`` with
    ``source``, ``target`` and ``key`` (the relationship type). None values are dropped.

    Properties that collide with those fields are renamed: a node's ``id`` property becomes
    ``node_id`` and a relationship's provenance ``source`` becomes ``fact_source``.
    """
    node_names, edge_names = NODE_LINK_RENAMES["node"], NODE_LINK_RENAMES["edge"]
    renamed = nx.MultiDiGraph()
    renamed.graph.update(graph.graph)
    for key, data in graph.nodes(data=True):
        renamed.add_node(key, **{node_names.get(k, k): v for k, v in data.items() if v is not None})
    for u, v, rel_type, data in graph.edges(keys=True, data=True):
        attrs = {edge_names.get(k, k): val for k, val in data.items() if val is not None}
        renamed.add_edge(u, v, key=rel_type, **attrs)
    return nx.node_link_data(renamed, edges="edges")


def write_json(graph: nx.MultiDiGraph, path: str | Path) -> Path:
    path = Path(path)
    path.write_text(json.dumps(node_link(graph), ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    return path


EXPORT_FORMATS = {"graphml": write_graphml, "json": write_json}


def without_folders(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose ``source_file`` values keep the file name only: an exported file is handed on,
    and the folders a load read from (home directories, user names) are not the reader's business."""
    out = graph.copy()
    attribute_maps = [data for _, data in out.nodes(data=True)]
    attribute_maps += [data for *_, data in out.edges(keys=True, data=True)]
    for data in attribute_maps:
        if isinstance(data.get("source_file"), str):
            data["source_file"] = PurePath(data["source_file"]).name
    return out


def write_graph(graph: nx.MultiDiGraph, path: str | Path, fmt: str | None = None) -> Path:
    """Write ``graph`` as ``fmt`` (graphml or json); without a format, the file suffix decides."""
    fmt = (fmt or Path(path).suffix.lstrip(".") or "graphml").lower()
    try:
        writer = EXPORT_FORMATS[fmt]
    except KeyError:
        raise InputError(f"unknown export format {fmt!r}; choose graphml or json") from None
    try:
        return writer(without_folders(graph), path)
    except OSError as exc:
        raise PortfolioGraphError(_("cannot write {path}: {reason}").format(path=path, reason=exc.strerror or exc)) from None
