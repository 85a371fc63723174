"""The 东城街道 sample portfolio (data/dongcheng): where it lives and how it gets into a graph.

It goes in through the same loader as stewards' files (``portfolio-graph load data/dongcheng``),
so the sample exercises the users' path: header mapping, validation, diff and one write.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .errors import PortfolioGraphError
from .graph import Backend

SAMPLE_ENV = "PORTFOLIO_GRAPH_SAMPLE"
SAMPLE_SOURCE = "东城街道2022年工作总结及2023年工作计划"
SAMPLE_NAME = "dongcheng"


class PackageDataMissing(PortfolioGraphError):
    """A data file the installed package should carry is not there: the installation is broken."""


def package_data(*parts: str) -> Path:
    """A data file or folder the package carries, or ``PackageDataMissing`` naming what to fix.

    In a wheel the data sits inside the package (``portfolio_graph/sample_data/...``, copied there
    at build time); in a checkout it is read from the repository's ``data/`` folder.
    """
    here = Path(__file__).resolve().parent
    packaged = here.joinpath("sample_data", *parts)
    if packaged.exists():
        return packaged
    checkout = here.parents[1].joinpath("data", *parts)
    if checkout.exists():
        return checkout
    raise PackageDataMissing(
        f"the package's data file {Path('portfolio_graph', 'sample_data', *parts)} is missing "
        f"(looked in {packaged} and {checkout}). The installation is incomplete: reinstall the package "
        f"from a wheel or sdist built by its own build backend (pip install --force-reinstall portfolio-graph), "
        f"or set ${SAMPLE_ENV} to a copy of the sample folder."
    )


def sample_dir() -> Path:
    """The sample's folder: ``$PORTFOLIO_GRAPH_SAMPLE``, the package copy, or the checkout's."""
    if os.environ.get(SAMPLE_ENV):
        folder = Path(os.environ[SAMPLE_ENV])
        if not folder.is_dir():
            raise PackageDataMissing(f"${SAMPLE_ENV} names {folder}, which is not a folder: "
                                     f"point it at a copy of the sample portfolio or unset it")
        return folder
    return package_data(SAMPLE_NAME)


def load_sample(backend: Backend, folder: Path | None = None, *, replace: bool = False) -> Any:
    """Replace the graph's content with the sample portfolio; returns the ``LoadResult``.

    A graph that holds anything the sample (or the demo) did not write is refused with
    ``GraphNotEmpty`` unless ``replace`` is true. The sample is checked in full first (a dry run),
    so a sample with a problem raises ``LoadRejected`` and leaves the graph as it was; only then is
    the graph cleared and the sample loaded. Clearing and loading are two writes: a crash between
    them leaves an empty graph, never a mixed one.
    """
    from .loaders import load_files
    from .replace_guard import check_replaceable, mark_demo

    folder = folder or sample_dir()
    check_replaceable(backend, replace=replace, action="loading the sample", allow_demo=True)
    load_files(backend, [folder], source=SAMPLE_SOURCE, strict=False, dry_run=True)
    backend.clear()
    result = load_files(backend, [folder], source=SAMPLE_SOURCE, strict=False)
    mark_demo(backend)
    return result


SCHEDULE_SOURCE = "合成调度数据（非原文）"


def load_schedule_sample(backend: Backend, folder: Path | None = None) -> Any:
    """Add the sample's synthetic 2023 plan and three monthly progress reports (data/dongcheng/synthetic,
    written by scripts/make-synthetic-schedule.py), as a load of their own after ``load_sample``."""
    from .loaders import load_files
    from .replace_guard import holds_only_the_demo, mark_demo

    demo = holds_only_the_demo(backend)
    result = load_files(backend, [folder or sample_dir() / "synthetic"], source=SCHEDULE_SOURCE, strict=False)
    if demo:  # still only what the demo wrote: a later demo may replace it
        mark_demo(backend)
    return result
