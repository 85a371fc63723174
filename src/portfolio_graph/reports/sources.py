"""``--with-sources``: where each row's facts are stated, next to the row.

A report that knows the links its row rests on returns them itself in a ``sources`` column (the
profiles, set-members: each link's section and quote, or a loaded file's name, sheet and row).
For any other report the row's ids stand for its facts: each id column's node gives its own
provenance, looked up once for all rows.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ..graph.backend import Backend
from ..graph.schema import SCHEMA
from .spec import ColumnSpec, ReportSpec

SOURCES = "sources"
SOURCES_COLUMN = ColumnSpec(
    SOURCES, help="section and quote, or file, sheet and row, of the facts the row rests on",
    zh="出处", en="Sources", format="list", ordered=True)


def cite(props: dict[str, Any]) -> str | None:
    """One fact's provenance as a reader reads it: '二(一)一 「quote」' or 'file sheet 第3行'."""
    if props.get("quote"):
        return f"{props.get('section') or ''} 「{props['quote']}」".strip()
    if props.get("source_file"):
        sheet = f" {props['source_sheet']}" if props.get("source_sheet") else ""
        row = f" 第{props['source_row']}行" if props.get("source_row") is not None else ""
        return f"{props['source_file']}{sheet}{row}"
    return None


def id_columns(spec: ReportSpec) -> list[str]:
    return [c.name for c in spec.columns if c.name == "id" or c.name.endswith("_id")]


def with_sources(backend: Backend, spec: ReportSpec, rows: list[dict[str, Any]]) -> tuple[ReportSpec, list[dict[str, Any]]]:
    """The spec and rows with a ``sources`` column: the report's own, or its id columns' nodes'."""
    if SOURCES in spec.column_names:  # the report's own: one mention per fact, in path order
        return spec, [{**row, SOURCES: list(dict.fromkeys(row[SOURCES] or []))} for row in rows]
    columns = id_columns(spec)
    ids = sorted({row[c] for row in rows for c in columns if isinstance(row.get(c), str)})
    found = _provenance(backend, ids)
    out = []
    for row in rows:
        cited = [f"{row[c]}: {found[row[c]]}" for c in columns if isinstance(row.get(c), str) and found.get(row[c])]
        out.append({**row, SOURCES: cited})
    return dataclasses.replace(spec, columns=spec.columns + (SOURCES_COLUMN,)), out


def _provenance(backend: Backend, ids: list[str]) -> dict[str, str]:
    if not ids:
        return {}
    parts = [
        f"MATCH (n:`{label}`) WHERE n.id IN $ids RETURN n.id AS id, n.section AS section, n.quote AS quote, "
        "n.source_file AS source_file, n.source_sheet AS source_sheet, n.source_row AS source_row"
        for label in SCHEMA.portfolio_labels
    ]
    cited: dict[str, str] = {}
    for record in backend.read(" UNION ALL ".join(parts), {"ids": ids}):
        text = cite(record)
        if text and record["id"] not in cited:
            cited[record["id"]] = text
    return cited
