"""Every notebook in notebooks/ runs top to bottom against the sample, and is committed clean.

The kernel is this test run's own Python (the venv's), through a kernelspec written to a
temporary JUPYTER_PATH, so a user-level ``python3`` kernel elsewhere cannot be picked up
instead. Each notebook gets its own database folder through PORTFOLIO_GRAPH_DB.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
KERNEL = "portfolio-graph-test"
TIMEOUT = 600


@pytest.fixture
def kernel_env(tmp_path, monkeypatch):
    spec_dir = tmp_path / "jupyter" / "kernels" / KERNEL
    spec_dir.mkdir(parents=True)
    (spec_dir / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "portfolio-graph tests",
        "language": "python",
    }))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.delenv("NEO4J_URI", raising=False)
    return tmp_path


def run(nb, workdir: Path) -> None:
    client = nbclient.NotebookClient(nb, timeout=TIMEOUT, kernel_name=KERNEL,
                                     resources={"metadata": {"path": str(workdir)}})
    client.execute()


def test_there_are_notebooks():
    assert [p.name for p in NOTEBOOKS] == [
        "01-explore-portfolio.ipynb", "02-chain-completeness.ipynb", "03-dependencies-what-if.ipynb",
        "04-schedule-lights.ipynb",
    ]


def test_the_kernel_is_this_python(kernel_env):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import sys; print(sys.executable)")])
    run(nb, kernel_env)
    assert nb.cells[0].outputs[0]["text"].strip() == sys.executable


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: clear the outputs"


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_top_to_bottom(path, kernel_env, monkeypatch):
    monkeypatch.setenv("PORTFOLIO_GRAPH_DB", str(kernel_env / "db" / "portfolio.db"))
    nb = nbformat.read(path, as_version=4)
    run(nb, kernel_env)  # raises CellExecutionError naming the cell that failed
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "loaded the 东城 sample" in printed
    assert "CJKFontWarning" not in printed
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.get("output_type") == "error"]
    assert errors == []
