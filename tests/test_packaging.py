"""The installed package works on its own: a wheel and an sdist, built by the project's own build
backend, installed into fresh virtual environments outside the checkout, run the demo and every
output format from a folder where nothing of the checkout can be picked up."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

import portfolio_graph
from portfolio_graph.output import FORMATS

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--wheel", "--sdist", "--outdir", str(out), str(REPO)],
                   check=True, capture_output=True, text=True, cwd=out)
    return out


def clean_env(home: Path | None = None) -> dict[str, str]:
    """No PYTHONPATH, no database, sample or Neo4j settings from the caller's environment; with
    ``home``, a home folder of its own (pip keeps the real one: its wheel cache spares a rebuild)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "PORTFOLIO_GRAPH", "NEO4J", "VIRTUAL_ENV"))}
    env["PYTHONNOUSERSITE"] = "1"
    if home is not None:
        env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "config"))
    return env


def pip(python: Path, *args: str, cwd: Path) -> None:
    result = subprocess.run([str(python), "-m", "pip", "install", "--quiet", *args], capture_output=True, text=True,
                            cwd=cwd, env=clean_env())
    assert result.returncode == 0, f"pip install {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"


@pytest.fixture(scope="module")
def installed(dist, tmp_path_factory) -> dict[str, Path]:
    """The wheel installed with its dependencies into a fresh venv; the sdist into a second fresh
    venv that borrows the first one's dependencies (a .pth file) and installs only itself, built
    from the sdist alone. Each venv's own site-packages comes first, so each runs its own copy."""
    root = tmp_path_factory.mktemp("venvs")
    wheel_env, sdist_env = root / "wheel", root / "sdist"
    venv.create(wheel_env, with_pip=True)
    pip(wheel_env / "bin" / "python", str(next(dist.glob("*.whl"))), cwd=root)
    venv.create(sdist_env, with_pip=True)
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    deps = wheel_env / "lib" / version / "site-packages"
    (sdist_env / "lib" / version / "site-packages" / "_borrowed_dependencies.pth").write_text(f"{deps}\n")
    pip(sdist_env / "bin" / "python", "--no-deps", str(next(dist.glob("*.tar.gz"))), cwd=root)
    return {"whl": wheel_env / "bin" / "portfolio-graph", "tar.gz": sdist_env / "bin" / "portfolio-graph"}


def run(cli: Path, *args: str, cwd: Path) -> str:
    result = subprocess.run([str(cli), *args], capture_output=True, text=True, cwd=cwd, env=clean_env(cwd),
                            timeout=600)
    assert result.returncode == 0, f"portfolio-graph {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_the_wheel_carries_every_data_file(dist):
    wheel = next(dist.glob("*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    package = REPO / "src" / "portfolio_graph"
    shipped = {f"portfolio_graph/{p.relative_to(package)}" for p in package.rglob("*")
               if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}
    assert shipped <= names, f"missing from the wheel: {sorted(shipped - names)}"
    sample = REPO / "data" / "dongcheng"
    carried = {f"portfolio_graph/sample_data/dongcheng/{p.relative_to(sample)}" for p in sample.rglob("*") if p.is_file()}
    assert carried and carried <= names, f"sample files missing from the wheel: {sorted(carried - names)}"
    licences = {n.rsplit("/", 1)[-1] for n in names if ".dist-info/licenses/" in n}
    assert {"LICENSE", "NOTICE"} <= licences


@pytest.mark.parametrize("kind", ["whl", "tar.gz"])
def test_an_installed_package_runs_outside_the_checkout(installed, tmp_path, kind):
    cli = installed[kind]
    work = tmp_path / "elsewhere"
    work.mkdir()
    assert run(cli, "--version", cwd=work).split()[-1] == portfolio_graph.__version__
    db = str(work / "x.db")
    shown = run(cli, "--db", db, "demo", cwd=work)
    assert "芯片封装检测" in shown and "利扬芯片" in shown
    assert "chain-completeness" in run(cli, "--db", db, "report", "list", cwd=work)
    for fmt in FORMATS:
        out = work / f"report.{fmt}"
        run(cli, "--db", db, "report", "run", "chain-completeness", "--format", fmt, "-o", str(out), cwd=work)
        assert out.stat().st_size > 0, fmt
    run(cli, "--db", db, "query", "MATCH (c:Chain) RETURN count(c) AS n", cwd=work)
    # The data files the newer commands read: chain templates, schedule profiles, dashboard assets.
    assert "集成电路" in run(cli, "chain", "templates", cwd=work)
    assert "晶圆制造" in run(cli, "chain", "template", "集成电路", cwd=work)
    run(cli, "--db", db, "report", "run", "schedule", "-p", "as_of=2023-03", "--format", "json", cwd=work)
    page = work / "dashboard.html"
    run(cli, "--db", db, "dashboard", "-o", str(page), cwd=work)
    assert "芯片封装检测" in page.read_text(encoding="utf-8")
    origin = subprocess.run([str(cli.parent / "python"), "-c", "import portfolio_graph; print(portfolio_graph.__file__)"],
                            capture_output=True, text=True, cwd=work, env=clean_env(work)).stdout
    assert str(REPO) not in origin and str(cli.parents[1]) in origin, origin
