"""Canned reports: ``.cypher`` files with a metadata header, run read-only on either engine.

From a notebook::

    from portfolio_graph import report
    report("chain-completeness", chain="芯片封装检测")          # a DataFrame, default database
    report("project-blockers", project="火炼树旧改", db="/path/to/portfolio.db")

Modules, one job each: ``spec`` parses a report file, ``registry`` finds report files,
``params`` checks parameter values, ``runner`` runs a report, ``describe`` says what a report
is and takes; ``portfolio_graph.output``
renders the rows.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .errors import ParameterError, ReportError, ReportFileError
from .registry import REPORTS_ENV, Registry, UnknownReport
from .runner import ReportResult, run_report
from .spec import ReportSpec

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..portfolio import Portfolio

ReportDirs = Iterable[str | os.PathLike[str]] | str | os.PathLike[str] | None


def list_reports(reports_dir: ReportDirs = None) -> list[ReportSpec]:
    """Every report visible with ``reports_dir`` (and ``$PORTFOLIO_GRAPH_REPORTS``), by name."""
    return list(Registry(reports_dir))


def get_report(name: str, reports_dir: ReportDirs = None) -> ReportSpec:
    return Registry(reports_dir).get(name)


def report(
    name: str,
    *,
    db: str | os.PathLike[str] | None = None,
    uri: str | None = None,
    portfolio: "Portfolio | None" = None,
    reports_dir: ReportDirs = None,
    with_sources: bool = False,
    **params: Any,
) -> "pd.DataFrame":
    """Run the report ``name`` and return its rows as a DataFrame.

    Uses ``portfolio`` when given, else opens ``db``/``uri`` (the embedded default when neither
    is given) for this one call. ``params`` are the report's parameters, e.g. ``chain="芯片封装检测"``;
    ``lenient=True`` counts inferred links too; ``with_sources=True`` adds a ``sources`` column with
    the section and quote (or file, sheet and row) of the facts each row rests on.
    """
    spec = get_report(name, reports_dir)
    if portfolio is not None:
        return run_report(portfolio.backend, spec, params, with_sources=with_sources).frame()
    # The backend itself, not a Portfolio: this layer sits below the front door and never opens it.
    from ..graph import SCHEMA, open_backend

    backend = open_backend(db=db, uri=uri)
    try:
        backend.apply_schema(SCHEMA)
        return run_report(backend, spec, params, with_sources=with_sources).frame()
    finally:
        backend.close()


__all__ = [
    "REPORTS_ENV", "ParameterError", "Registry", "ReportError", "ReportFileError", "ReportResult",
    "ReportSpec", "UnknownReport", "get_report", "list_reports", "report", "run_report",
]
