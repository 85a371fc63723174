"""Loaders: stewards' files (CSV, xlsx, JSON) into the graph, checked, diffed, in one write.

    from portfolio_graph.loaders import load_files, LoadRejected
    result = load_files(backend, ["项目清单.xlsx"], dry_run=True)
    result.frame()          # the diff as a DataFrame
"""

from .diff import Change, DiffCounts
from .history import history, history_frame
from .mapping import LoadMapping, load_mapping
from .pipeline import load_files
from .result import LoadResult
from .problems import LoadRejected, Problem

__all__ = ["Change", "DiffCounts", "LoadRejected", "LoadMapping", "LoadResult", "Problem", "history",
           "history_frame", "load_files", "load_mapping"]
