"""The library's front door: a Portfolio wraps one backend and returns DataFrames.

Everything the CLI does goes through here, so a notebook can do the same::

    from portfolio_graph import Portfolio
    pf = Portfolio.open()              # the embedded default, or Portfolio.open(uri="neo4j://...")
    pf.stats()
    pf.query("MATCH (c:Chain) RETURN c.name AS chain")
"""

from __future__ import annotations

import os
from typing import Any

import pandas as pd

from .graph import SCHEMA, Backend, open_backend
from .graph.schema import Schema


class Portfolio:
    def __init__(self, backend: Backend, schema: Schema = SCHEMA):
        self.backend = backend
        self.schema = schema

    @classmethod
    def open(
        cls,
        db: str | os.PathLike[str] | None = None,
        uri: str | None = None,
        **neo4j_settings: Any,
    ) -> "Portfolio":
        backend = open_backend(db=db, uri=uri, **neo4j_settings)
        backend.apply_schema(SCHEMA)
        return cls(backend)

    def close(self) -> None:
        self.backend.close()

    def __enter__(self) -> "Portfolio":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def rows(self, cypher: str, params: dict[str, Any] | None = None, *, write: bool = False) -> list[dict[str, Any]]:
        """Run Cypher and return a list of row dicts; read-only unless ``write`` is true."""
        if write:
            return self.backend.write(cypher, params)
        return self.backend.read(cypher, params)

    def query(self, cypher: str, params: dict[str, Any] | None = None, *, write: bool = False, **kwargs: Any) -> pd.DataFrame:
        """Run Cypher and return a DataFrame. Parameters go in as Cypher parameters."""
        merged = {**(params or {}), **kwargs}
        rows = self.rows(cypher, merged, write=write)
        return to_frame(rows)

    def stats(self) -> dict[str, dict[str, int]]:
        """Counts per portfolio label and per relationship type (zero where there are none)."""
        labels = {row["label"]: row["count"] for row in self.backend.read(
            "MATCH (n) UNWIND labels(n) AS label RETURN label AS label, count(*) AS count"
        )}
        types = {row["type"]: row["count"] for row in self.backend.read(
            "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS count"
        )}
        return {
            "labels": {name: int(labels.get(name, 0)) for name in self.schema.portfolio_labels},
            "relationships": {name: int(types.get(name, 0)) for name in self.schema.rel_types},
        }


def to_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    if not rows:
        return pd.DataFrame()
    return pd.DataFrame.from_records(rows, columns=list(rows[0].keys()))
