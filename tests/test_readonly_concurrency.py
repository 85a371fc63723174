"""Two report runs at the same time both work while a load runs, on both engines, all real
processes: while the loader is frozen in the middle of its write, both reports answer from the
graph as it was (and, on the embedded database, without waiting for the writer's lock); after
it commits, from the new graph; and reports racing a running load see the old graph or the new
one, never a half-written one. No timing is asserted.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
from pathlib import Path

import pytest

from conftest import BACKEND_PARAMS
from portfolio_graph.sample import load_sample
from test_hostile_support import (DEADLINE, cli_process, falkordb_staging_holds, freeze_mid_write, location_of,
                                  neo4j_writing, reaped)

PROJECTS = 40_000
REPORTS = [["investment-rollup", "-p", "by=status"], ["chain-completeness", "-p", "chain=芯片封装检测", "--lenient"]]


@pytest.fixture(scope="module")
def project_list(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("load") / "重点项目清单.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["项目编号", "项目名称", "总投资(亿元)", "建设状态"])
        writer.writerows([f"CP-{i:05d}", f"并发项目{i}", "1", "在建"] for i in range(PROJECTS))
    return path


@pytest.fixture(params=BACKEND_PARAMS)
def engine(request):
    """(backend, CLI location) of an engine holding the sample portfolio."""
    backend = request.getfixturevalue(f"_{request.param}_backend")
    load_sample(backend, replace=True)  # the session graph belongs to the tests
    return backend, location_of(request, request.param)


def run_reports_together(location: list[str], **env: str) -> list[str]:
    """Start both reports at once and return their JSON outputs; both must succeed."""
    from test_hostile_support import child_env

    processes = [cli_process(location, "report", "run", *args, "--format", "json", env=child_env(**env))
                 for args in REPORTS]
    outputs = [p.communicate(timeout=DEADLINE) for p in processes]
    for process, (out, err) in zip(processes, outputs):
        assert process.returncode == 0, err.decode(errors="replace")
        assert b"Traceback" not in err
    return [out.decode() for out, _ in outputs]


def total(rollup: str) -> float:
    return next(row["investment_yi"] for row in json.loads(rollup) if row["dimension"] == "total")


def test_two_reports_at_once_while_a_load_is_frozen_mid_write_and_after_it_commits(engine, project_list):
    backend, location = engine
    before = run_reports_together(location)
    projects = backend.read("MATCH (p:Project) RETURN count(p) AS n")[0]["n"]
    if backend.name == "falkordb":
        db = Path(location[1])
        mid_write = lambda: falkordb_staging_holds(db, "Project", projects, PROJECTS)  # noqa: E731
    else:
        mid_write = lambda: neo4j_writing(backend, "Project")  # noqa: E731
    with reaped(cli_process(location, "load", str(project_list), "--format", "json",
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)) as loader:
        freeze_mid_write(loader, mid_write)
        try:
            # A short lock timeout: a report that waited for the frozen writer's lock would fail.
            during = run_reports_together(location, PORTFOLIO_GRAPH_LOCK_TIMEOUT="1")
            assert during == before
        finally:
            os.kill(loader.pid, signal.SIGCONT)
        _, err = loader.communicate(timeout=DEADLINE)
        assert loader.returncode == 0, err.decode(errors="replace")
    after = run_reports_together(location)
    assert total(after[0]) == pytest.approx(total(before[0]) + PROJECTS)
    assert after[1] == before[1]


def test_reports_racing_a_running_load_see_the_old_or_the_new_graph(engine, project_list):
    backend, location = engine
    before = run_reports_together(location)
    seen: list[list[str]] = []
    with reaped(cli_process(location, "load", str(project_list), "--format", "json",
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)) as loader:
        while loader.poll() is None or not seen:
            seen.append(run_reports_together(location))
        _, err = loader.communicate(timeout=DEADLINE)
        assert loader.returncode == 0, err.decode(errors="replace")
    after = run_reports_together(location)
    assert total(after[0]) == pytest.approx(total(before[0]) + PROJECTS)
    for outputs in seen:
        assert outputs[0] in (before[0], after[0]), "a report saw a half-written load"
        assert outputs[1] == before[1]
