"""What every format shares about cells and columns: the columns of a list of rows, and how a
value reads as text. A leaf module: the formats import it, it imports none of them."""

from __future__ import annotations

import json
from typing import Any

Rows = list[dict[str, Any]]


def row_columns(rows: Rows, columns: list[str] | None) -> list[str]:
    """The columns asked for, else every key of the rows in the order first met."""
    if columns:
        return columns
    seen: dict[str, None] = {}
    for row in rows:
        for key in row:
            seen.setdefault(key, None)
    return list(seen)


def cell_text(value: Any) -> str:
    """How a value reads in a text cell: lists joined with 、, floats without noise."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1e6 else f"{value:,.0f}"
    if isinstance(value, (list, tuple)):
        return "、".join(cell_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
