"""The graph layer: the schema, the batch a write carries, and the two backends."""

from .backend import Backend, BackendError, DatabaseBusy, ReadOnlyViolation, default_db_path, open_backend
from .batch import GraphBatch, RelRow, WriteSummary
from .schema import KEY, SCHEMA, Schema, SchemaError

__all__ = [
    "Backend", "BackendError", "DatabaseBusy", "GraphBatch", "KEY", "ReadOnlyViolation",
    "RelRow", "SCHEMA", "Schema", "SchemaError", "WriteSummary", "default_db_path", "open_backend",
]
