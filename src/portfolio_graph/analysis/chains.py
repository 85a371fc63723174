"""Industry-chain structure: segment coverage, upstream/downstream reach, enterprise centrality.

- A segment is *covered* when at least one enterprise is IN_SEGMENT of it.
- ``upstream_reach``/``downstream_reach`` count the segments reachable against/along
  UPSTREAM_OF (``(a)-[:UPSTREAM_OF]->(b)``: a feeds b). Without UPSTREAM_OF links both are 0.
- Enterprise centrality is computed per chain on a small undirected graph: the chain node,
  its segments (each linked to the chain and to its UPSTREAM_OF neighbours) and its enterprises
  (each linked to the segments it is IN_SEGMENT of; a 链主 (ANCHORS) or an enterprise placed in
  the chain without a segment (IN_CHAIN, where the data has it) to the chain node).
  ``betweenness`` is networkx's normalised betweenness centrality in that graph: how much of
  the chain's structure runs through the enterprise. ``segment_share`` is the share of the
  chain's segments the enterprise works in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import networkx as nx
import pandas as pd

from ..graph.schema import KEY
from .export import as_graph, display_name, find_node
from .frames import frame


@dataclass
class ChainMetrics:
    chains: pd.DataFrame  # one row per chain
    segments: pd.DataFrame  # one row per segment
    enterprises: pd.DataFrame  # one row per (chain, enterprise)

    def to_frame(self) -> pd.DataFrame:
        return self.segments


def _in(graph: nx.MultiDiGraph, key: str, rel_type: str, label: str | None = None) -> list[str]:
    return sorted(
        u for u, _, k in graph.in_edges(key, keys=True)
        if k == rel_type and (label is None or graph.nodes[u].get("label") == label)
    )


def _position(graph: nx.MultiDiGraph, key: str) -> tuple[int, str]:
    position = graph.nodes[key].get("position")
    return (position if isinstance(position, int) else 10**6, key)


def chain_metrics(source: Any, chain: str | None = None) -> ChainMetrics:
    """Metrics for every chain, or for the one ``chain`` names (key, id, name or alias)."""
    graph = as_graph(source)
    if chain is not None:
        chains = [find_node(graph, chain, ["Chain"])]
    else:
        chains = sorted(k for k, d in graph.nodes(data=True) if d.get("label") == "Chain")
    flow = nx.DiGraph()
    flow.add_edges_from(sorted((u, v) for u, v, k in graph.edges(keys=True) if k == "UPSTREAM_OF"))
    chain_rows, segment_rows, enterprise_rows = [], [], []
    for chain_key in chains:
        segments = sorted(_in(graph, chain_key, "PART_OF", "ChainSegment"), key=lambda s: _position(graph, s))
        anchors = _in(graph, chain_key, "ANCHORS", "Enterprise")
        members: dict[str, list[str]] = {s: _in(graph, s, "IN_SEGMENT", "Enterprise") for s in segments}
        # enterprises IN_CHAIN of the chain (or of a segment, without IN_SEGMENT): in, not placed
        unplaced = sorted(set(_in(graph, chain_key, "IN_CHAIN", "Enterprise")) | {
            e for s in segments for e in _in(graph, s, "IN_CHAIN", "Enterprise") if e not in members[s]})
        covered = [s for s in segments if members[s]]
        enterprises = sorted({e for es in members.values() for e in es} | set(anchors) | set(unplaced))
        projects = sorted(set(_in(graph, chain_key, "IN_CHAIN", "Project"))
                          | {p for s in segments for p in _in(graph, s, "IN_CHAIN", "Project")})
        chain_name = display_name(graph, chain_key)
        for segment in segments:
            in_chain = set(segments)
            up = nx.ancestors(flow, segment) & in_chain if segment in flow else set()
            down = nx.descendants(flow, segment) & in_chain if segment in flow else set()
            segment_rows.append({
                "chain": chain_name,
                "segment": display_name(graph, segment),
                "position": graph.nodes[segment].get("position"),
                "enterprise_count": len(members[segment]),
                "enterprises": [display_name(graph, e) for e in members[segment]],
                "anchor_here": any(e in anchors for e in members[segment]),
                "projects": [display_name(graph, p) for p in _in(graph, segment, "IN_CHAIN", "Project")],
                "covered": bool(members[segment]),
                "upstream_reach": len(up),
                "downstream_reach": len(down),
                "id": graph.nodes[segment].get(KEY),
                "key": segment,
            })
        centrality = _centrality(flow, segments, members, sorted(set(anchors) | set(unplaced)), chain_key)
        for enterprise in enterprises:
            own = [s for s in segments if enterprise in members[s]]
            enterprise_rows.append({
                "chain": chain_name,
                "enterprise": display_name(graph, enterprise),
                "is_anchor": enterprise in anchors,
                "in_chain_only": enterprise in unplaced and not own,
                "segments": [display_name(graph, s) for s in own],
                "segment_count": len(own),
                "segment_share": round(len(own) / len(segments), 4) if segments else None,
                "betweenness": round(centrality.get(enterprise, 0.0), 4),
                "id": graph.nodes[enterprise].get(KEY),
                "key": enterprise,
            })
        chain_rows.append({
            "chain": chain_name,
            "segments": len(segments),
            "covered_segments": len(covered),
            "coverage": round(len(covered) / len(segments), 4) if segments else None,
            "gaps": [display_name(graph, s) for s in segments if not members[s]],
            "anchors": [display_name(graph, a) for a in anchors],
            "enterprises": len(enterprises),
            "projects": len(projects),
            "upstream_links": sum(1 for s in segments for t in (flow.successors(s) if s in flow else [])
                                  if t in set(segments)),
            "id": graph.nodes[chain_key].get(KEY),
            "key": chain_key,
        })
    return ChainMetrics(
        pd.DataFrame(chain_rows, columns=["chain", "segments", "covered_segments", "coverage", "gaps", "anchors",
                                          "enterprises", "projects", "upstream_links", "id", "key"]),
        frame(segment_rows, ["chain", "segment", "position", "enterprise_count", "enterprises", "anchor_here",
                             "projects", "covered", "upstream_reach", "downstream_reach", "id", "key"],
              ints=["position"]),
        pd.DataFrame(enterprise_rows, columns=["chain", "enterprise", "is_anchor", "in_chain_only", "segments",
                                               "segment_count", "segment_share", "betweenness", "id", "key"]),
    )


def _centrality(flow: nx.DiGraph, segments: list[str], members: dict[str, list[str]], on_chain: list[str],
                chain_key: str) -> dict[str, float]:
    """Betweenness in the chain's undirected segment–enterprise graph, plus the chain node,
    linked to its segments and to enterprises tied to the chain itself (链主, IN_CHAIN)."""
    local = nx.Graph()
    in_segments = {e for es in members.values() for e in es}
    local.add_nodes_from(sorted(set(segments) | {chain_key} | in_segments | set(on_chain)))
    local.add_edges_from((s, chain_key) for s in segments)
    local.add_edges_from((a, chain_key) for a in on_chain)
    local.add_edges_from((e, s) for s, es in members.items() for e in es)
    local.add_edges_from((u, v) for u, v in flow.edges if u in members and v in members)
    if local.number_of_nodes() < 3:
        return {}
    return nx.betweenness_centrality(local, normalized=True)
