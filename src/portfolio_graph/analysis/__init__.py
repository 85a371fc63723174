"""Questions about the whole structure, answered with networkx.

Cypher answers lookups; this package exports the graph to a networkx MultiDiGraph once and
answers structural questions on it. Every function takes that graph, or a Portfolio/Backend to
export it from, and returns DataFrames (or a small dataclass of them with ``.to_frame()``)::

    from portfolio_graph import Portfolio
    from portfolio_graph.analysis import critical_path, delay

    pf = Portfolio.open()
    g = pf.to_networkx()
    critical_path(g).to_frame()
    delay(g, "生益电子四期", months=6).goals
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from .chains import ChainMetrics, chain_metrics
from .dependencies import (
    CriticalPath,
    DependencyCycleError,
    DependencyOrder,
    critical_path,
    dependency_order,
    find_cycles,
)
from .export import find_node, node_key, node_link, to_networkx, write_graph, write_graphml, write_json
from .goals import goal_routes
from .health import HealthSummary, health
from .whatif import DelayResult, delay

__all__ = [
    "Analysis", "ChainMetrics", "CriticalPath", "DelayResult", "DependencyCycleError", "DependencyOrder",
    "HealthSummary", "chain_metrics", "critical_path", "delay", "dependency_order", "find_cycles", "find_node",
    "goal_routes", "health", "node_key", "node_link", "to_networkx", "write_graph", "write_graphml", "write_json",
]


class Analysis:
    """``Portfolio.analysis``: the analyses on one exported snapshot of the graph.

    The graph is exported on first use and kept; call ``refresh()`` after the data changes.
    """

    def __init__(self, source: Any, *, stated_only: bool = False):
        self._source = source
        self._stated_only = stated_only
        self._graph: nx.MultiDiGraph | None = None

    @property
    def graph(self) -> nx.MultiDiGraph:
        if self._graph is None:
            self._graph = to_networkx(self._source, stated_only=self._stated_only)
        return self._graph

    def refresh(self) -> "Analysis":
        self._graph = None
        return self

    def dependency_order(self) -> DependencyOrder:
        return dependency_order(self.graph)

    def critical_path(self, *, assume_months: float = 0) -> CriticalPath:
        return critical_path(self.graph, assume_months=assume_months)

    def delay(self, target: str, months: float) -> DelayResult:
        return delay(self.graph, target, months)

    def chain_metrics(self, chain: str | None = None) -> ChainMetrics:
        return chain_metrics(self.graph, chain)

    def health(self) -> HealthSummary:
        return health(self.graph)
