"""The library's front door: a Portfolio wraps one backend and returns DataFrames.

Everything the CLI does goes through here, so a notebook can do the same::

    from portfolio_graph import Portfolio
    pf = Portfolio.open()              # the embedded default, or Portfolio.open(uri="neo4j://...")
    pf.stats()
    pf.query("MATCH (c:Chain) RETURN c.name AS chain")
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from .graph import SCHEMA, Backend, open_backend
from .graph.schema import Schema

if TYPE_CHECKING:
    import pandas as pd


class Portfolio:
    def __init__(self, backend: Backend, schema: Schema = SCHEMA):
        self.backend = backend
        self.schema = schema
        self._analysis: Any = None

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
            self._analysis = None  # the analysis snapshot may predate what this query changes
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

    def report(self, name: str, *, reports_dir: Any = None, **params: Any) -> pd.DataFrame:
        """Run a canned report (see ``portfolio-graph report list``) read-only; a DataFrame back."""
        from .reports import report

        return report(name, portfolio=self, reports_dir=reports_dir, **params)

    def dashboard(self, path: str | os.PathLike[str] | None = None, *, lenient: bool = False,
                  reports_dir: Any = None, **params: Any) -> Any:
        """The one-file offline HTML dashboard. With ``path`` it is written there and the Path
        returned; without, the HTML text is returned. ``params`` (e.g. ``as_of="2023-05"``) go to the
        reports behind the page that declare them."""
        from .dashboard import dashboard_html, write_dashboard

        options = {"params": params, "lenient": lenient, "reports_dir": reports_dir}
        if path is None:
            return dashboard_html(self, **options)
        return write_dashboard(self, path, **options)

    def to_networkx(self, cypher: str | None = None, params: dict[str, Any] | None = None, *, stated_only: bool = False) -> Any:
        """The graph, or the subgraph a query selects, as a networkx MultiDiGraph (see portfolio_graph.analysis)."""
        from .analysis import to_networkx

        return to_networkx(self, cypher, params, stated_only=stated_only)

    @property
    def analysis(self) -> Any:
        """Structural analyses (critical path, delay what-if, chain metrics, health) on a snapshot of the graph."""
        from .analysis import Analysis

        if self._analysis is None:
            self._analysis = Analysis(self)
        return self._analysis

    def load(self, paths: Any, **options: Any) -> Any:
        """Load files or folders in one all-or-nothing write; returns a ``LoadResult`` (``.frame()``
        is the diff). Options as ``portfolio_graph.loaders.load_files``; raises ``LoadRejected``."""
        from .loaders import load_files

        if isinstance(paths, (str, os.PathLike)):
            paths = [paths]
        result = load_files(self.backend, paths, **options)
        self._analysis = None  # the analysis snapshot predates this load
        return result

    def changes(self, since: Any, label: str | None = None, id: str | None = None) -> pd.DataFrame:
        """Every field loads changed since ``since`` (a date), with old value, new value and the load."""
        import pandas as pd

        from .schedule.changes import COLUMNS, changes

        return pd.DataFrame(changes(self.backend, since, label, id), columns=COLUMNS)

    def history(self, limit: int | None = None) -> pd.DataFrame:
        """Past loads, newest first, as a DataFrame."""
        from .loaders import history_frame

        return history_frame(self.backend, limit)


def to_frame(rows: list[dict[str, Any]]) -> "pd.DataFrame":
    import pandas as pd  # here, not at the top: the CLI imports this module and needs no pandas

    if not rows:
        return pd.DataFrame()
    return pd.DataFrame.from_records(rows, columns=list(rows[0].keys()))
