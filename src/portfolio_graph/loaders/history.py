"""The load history: one ``Load`` node per load, newest first."""

from __future__ import annotations

from typing import Any

from ..graph import Backend

HISTORY_COLUMNS = ["id", "loaded_at", "file", "source", "rows", "added", "changed", "unchanged", "missing",
                   "pruned", "removed", "encoding", "sha256"]


def history(backend: Backend, limit: int | None = None) -> list[dict[str, Any]]:
    """Past loads as row dicts (``HISTORY_COLUMNS``), newest first."""
    rows = backend.read(
        "MATCH (l:Load) RETURN " + ", ".join(f"l.{c} AS {c}" for c in HISTORY_COLUMNS) +
        " ORDER BY loaded_at DESC, id DESC" + (" LIMIT $limit" if limit else ""),
        {"limit": int(limit)} if limit else None,
    )
    return rows


def history_frame(backend: Backend, limit: int | None = None) -> Any:
    import pandas as pd

    return pd.DataFrame(history(backend, limit), columns=HISTORY_COLUMNS)
