"""portfolio-graph: a district's development portfolio as a property graph, asked in Cypher.

Errors: everything the library raises on purpose derives from ``PortfolioGraphError``; see
``portfolio_graph.errors`` for the tree and the exit code each maps to on the command line.
"""

from typing import Any

from .credentials import ConfigError, InsecureConfig
from .errors import InputError, PortfolioGraphError
from .graph import (
    SCHEMA,
    Backend,
    BackendError,
    DatabaseBusy,
    GraphBatch,
    ReadOnlyViolation,
    RelRow,
    SchemaError,
    open_backend,
)
from .portfolio import Portfolio
from .reports import ParameterError, ReportError, ReportFileError, UnknownReport, report

__version__ = "0.1.0"


# Exported without importing their modules at ``import portfolio_graph`` (the loaders, the
# embedded server, networkx and pandas are not needed to run a report).
_LAZY = {
    "DependencyCycleError": "analysis.dependencies",
    "EmbeddedServerError": "graph.embedded_server",
    "LoadRejected": "loaders.problems",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "SCHEMA", "Backend", "BackendError", "ConfigError", "DatabaseBusy", "DependencyCycleError",
    "EmbeddedServerError", "GraphBatch", "InputError", "InsecureConfig", "LoadRejected", "ParameterError",
    "Portfolio", "PortfolioGraphError", "ReadOnlyViolation", "RelRow", "ReportError", "ReportFileError",
    "SchemaError", "UnknownReport", "open_backend", "report", "__version__",
]
