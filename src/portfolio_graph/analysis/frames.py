"""DataFrames in and plain rows out: the analyses build frames, the CLI writes rows."""

from __future__ import annotations

import math
from typing import Any, Iterable

import pandas as pd

from ..graph.values import normalise


def frame(rows: list[dict[str, Any]], columns: list[str], ints: Iterable[str] = ()) -> pd.DataFrame:
    """A DataFrame with fixed columns; ``ints`` become nullable integers (no 2023.0 years)."""
    out = pd.DataFrame(rows, columns=columns)
    for column in ints:
        out[column] = out[column].astype("Int64")
    return out


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, (list, tuple, dict, str)):
        value = value.item()  # numpy scalar
    return normalise(value)


def records(data: pd.DataFrame, columns: list[str] | None = None) -> list[dict[str, Any]]:
    """Rows of plain Python values: NaN/NA become None, whole floats become ints."""
    if data.empty:
        return []
    data = data[columns] if columns else data
    return [{k: _plain(v) for k, v in row.items()} for row in data.to_dict("records")]
