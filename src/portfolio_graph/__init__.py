"""portfolio-graph: a district's development portfolio as a property graph, asked in Cypher."""

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

from .errors import InputError, PortfolioGraphError
from .portfolio import Portfolio
from .reports import report

__version__ = "0.1.0"

__all__ = [
    "SCHEMA", "Backend", "BackendError", "DatabaseBusy", "GraphBatch", "ReadOnlyViolation",
    "InputError", "Portfolio", "PortfolioGraphError", "RelRow", "SchemaError", "open_backend", "report", "__version__",
]
