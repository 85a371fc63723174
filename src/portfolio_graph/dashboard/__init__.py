"""The planner's dashboard: one offline HTML file with the chain maps, goals, project lights,
dependencies and the source of every figure (``portfolio-graph dashboard``, ``Portfolio.dashboard()``).

``build`` gathers the page's data from the reports and the graph; ``page`` inlines it with the
template, stylesheet and script from ``assets/`` (hand-drawn SVG, no third-party JavaScript).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .build import gather
from .page import render, script_json

__all__ = ["dashboard_data", "dashboard_html", "write_dashboard", "demo_dashboard_path", "script_json"]
DEMO_FILE = "dongcheng-dashboard.html"


def demo_dashboard_path(backend: Any) -> Path:
    """Beside the embedded database folder (a folder its owner already writes), else in the
    per-user data folder; never a shared temporary folder, where another user could plant a link."""
    if backend.name == "falkordb":
        return Path(backend.location).parent / DEMO_FILE
    from ..graph.backend import default_db_path

    return default_db_path().parent / DEMO_FILE


def dashboard_data(portfolio: Any, *, params: dict[str, Any] | None = None, lenient: bool = False,
                   reports_dir: Any = None) -> dict[str, Any]:
    """What the page embeds, as plain values (for tests and notebooks)."""
    return gather(portfolio, params=params, lenient=lenient, reports_dir=reports_dir)


def dashboard_html(portfolio: Any, **options: Any) -> str:
    return render(dashboard_data(portfolio, **options))


def write_dashboard(portfolio: Any, path: str | os.PathLike[str], **options: Any) -> Path:
    """Write the page to ``path`` whole: a temporary file beside it, renamed at the end."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    text = dashboard_html(portfolio, **options)
    partial = target.with_name(f".{target.name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, target)
    return target
