"""The 东城街道 sample portfolio (data/dongcheng): where it lives and how it gets into a graph."""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any

from .graph import SCHEMA, Backend, GraphBatch, RelRow
from .graph.schema import Property

SAMPLE_ENV = "PORTFOLIO_GRAPH_SAMPLE"
SAMPLE_SOURCE = "东城街道2022年工作总结及2023年工作计划"


def sample_dir() -> Path:
    """The sample's folder: ``$PORTFOLIO_GRAPH_SAMPLE``, the package copy, or the checkout's."""
    if os.environ.get(SAMPLE_ENV):
        return Path(os.environ[SAMPLE_ENV])
    packaged = Path(__file__).resolve().parent / "sample_data" / "dongcheng"
    if packaged.exists():
        return packaged
    return Path(__file__).resolve().parents[2] / "data" / "dongcheng"


def _convert(prop: Property | None, raw: str) -> Any:
    if raw == "":
        return None
    if prop is None or prop.type in ("string", "date"):
        return raw
    if prop.type == "int":
        return int(raw)
    if prop.type == "float":
        return float(raw)
    if prop.type == "bool":
        return raw.strip().lower() == "true"
    return [part for part in raw.split("|") if part]


def read_sample(folder: Path | None = None) -> GraphBatch:
    folder = folder or sample_dir()
    batch = GraphBatch()
    for path in sorted((folder / "nodes").glob("*.csv")):
        label = SCHEMA.label(path.stem)
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                props = {k: _convert(label.property(k), v) for k, v in row.items()}
                props = {k: v for k, v in props.items() if v is not None}
                props.setdefault("source", SAMPLE_SOURCE)
                batch.add_node(label.name, props)
    for path in sorted((folder / "rels").glob("*.csv")):
        rel = SCHEMA.rel_type(path.stem)
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                ends = {k: row.pop(k) for k in ("from_label", "from_id", "to_label", "to_id")}
                props = {k: _convert(rel.property(k), v) for k, v in row.items()}
                props = {k: v for k, v in props.items() if v is not None}
                props.setdefault("source", SAMPLE_SOURCE)
                batch.add_rel(rel.name, RelRow(ends["from_label"], ends["from_id"], ends["to_label"], ends["to_id"], props))
    return batch


def load_sample(backend: Backend, folder: Path | None = None) -> None:
    """Replace the graph's content with the sample portfolio, in one all-or-nothing write."""
    backend.clear()
    backend.upsert(read_sample(folder))
