"""The 东城街道 sample portfolio (data/dongcheng): where it lives and how it gets into a graph.

It goes in through the same loader as stewards' files (``portfolio-graph load data/dongcheng``),
so the sample exercises the users' path: header mapping, validation, diff and one write.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .graph import Backend

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


def load_sample(backend: Backend, folder: Path | None = None) -> Any:
    """Replace the graph's content with the sample portfolio, loaded in one all-or-nothing write.

    Returns the ``LoadResult``; raises ``LoadRejected`` if the sample files have a problem.
    """
    from .loaders import load_files

    backend.clear()
    return load_files(backend, [folder or sample_dir()], source=SAMPLE_SOURCE, strict=False)
