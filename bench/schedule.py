"""The schedule at a benchmark scale: what recording field-level changes adds to a load, how long a
year of monthly progress reports takes to load, and how fast the schedule reports answer.

    .venv/bin/python bench/schedule.py --scale M

Writes bench/results/schedule-<scale>.json and .md. Embedded FalkorDB only (the p95 target is for it).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # noqa: E402
from common import BENCH_DIR, machine_info, write_json  # noqa: E402

from portfolio_graph.graph import SCHEMA, open_backend  # noqa: E402
from portfolio_graph.loaders import load_files, pipeline  # noqa: E402
from portfolio_graph.reports import get_report, run_report  # noqa: E402
from portfolio_graph.schedule.changes import changes  # noqa: E402


def log(message: str) -> None:
    print(f"[{_dt.datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def timed_load(backend: Any, paths: list[Path], record: bool) -> tuple[float, Any]:
    original = pipeline.add_change_records
    if not record:
        pipeline.add_change_records = lambda *args, **kwargs: 0  # the same load, minus the record step's changes
    try:
        started = time.perf_counter()
        result = load_files(backend, paths)
        return time.perf_counter() - started, result
    finally:
        pipeline.add_change_records = original


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * pct / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def server_process(db: Path) -> Any:
    """The embedded server of ``db`` (psutil), for its CPU time; None where it cannot be told."""
    try:
        import json

        import psutil

        return psutil.Process(int(json.loads((db / "server.json").read_text())["server_pid"]))
    except Exception:
        return None


def time_it(run: Callable[[], Any], runs: int = 30, warmups: int = 2, server: Any = None) -> dict[str, Any]:
    """p50/p95 of wall time and of CPU time (this process + the database server): on a shared,
    busy machine the CPU time is the steadier estimate of what an idle machine would show."""
    def cpu() -> float:
        used = time.process_time()
        if server is not None:
            times = server.cpu_times()
            used += times.user + times.system
        return used

    wall, spent = [], []
    rows = None
    for i in range(warmups + runs):
        started, cpu_started = time.perf_counter(), cpu()
        rows = run()
        elapsed, cpu_ms = (time.perf_counter() - started) * 1000, (cpu() - cpu_started) * 1000
        if i >= warmups:
            wall.append(elapsed)
            spent.append(cpu_ms)
    return {"runs": runs, "rows": len(rows) if rows is not None else None,
            "p50_ms": round(percentile(wall, 50), 1), "p95_ms": round(percentile(wall, 95), 1),
            "max_ms": round(max(wall), 1), "cpu_p50_ms": round(percentile(spent, 50), 1),
            "cpu_p95_ms": round(percentile(spent, 95), 1), "loadavg": os.getloadavg()[0]}


def time_reports(backend: Any, manifest: dict[str, Any], runs: int, server: Any) -> dict[str, Any]:
    area = manifest["sample"]["area"]
    spec = get_report("schedule")
    focused = {
        "schedule [one area, 2023-12]": lambda: run_report(backend, spec, {"as_of": "2023-12", "area": area}).rows,
        "schedule [one area, by=area, 2023-06]": lambda: run_report(
            backend, spec, {"as_of": "2023-06", "area": area, "by": "area"}).rows,
        "trend [one project]": lambda: run_report(
            backend, get_report("trend"), {"project": manifest["sample"]["project_id_first"]}).rows,
        "changes [--id one project]": lambda: changes(backend, "2000-01-01", None, manifest["sample"]["project_id_first"]),
    }
    timings = {}
    for name, run in focused.items():
        timings[name] = time_it(run, runs, 2, server)
        log(f"{name}: {timings[name]}")
    for name, run in {
        "schedule [whole portfolio, 2023-12]": lambda: run_report(backend, spec, {"as_of": "2023-12"}).rows,
        "goals-at-risk [as_of 2023-12]": lambda: run_report(backend, get_report("goals-at-risk"), {"as_of": "2023-12"}).rows,
    }.items():
        timings[name] = time_it(run, 3, 1, server)
        log(f"{name}: {timings[name]}")
    return timings


def corrected_month(source: Path, target: Path, share: float = 0.01) -> Path:
    """The month's report again with 1% of its year-to-date figures revised upwards."""
    lines = source.read_text(encoding="utf-8-sig").splitlines()
    every = max(1, int(1 / share))
    out = [lines[0]]
    for index, line in enumerate(lines[1:]):
        cells = line.split(",")
        if index % every == 0:
            cells[4] = f"{float(cells[4]) + 1:.1f}"  # 年度累计完成投资 grows: still no decrease
        out.append(",".join(cells))
    target.write_text("\n".join(out) + "\n", encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(generate.SCALES), default="M")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--db", type=Path, default=None,
                        help="only time the reports again, on a database a full run built (kept with --keep)")
    parser.add_argument("--keep", action="store_true", help="keep the database the run built")
    opts = parser.parse_args(argv)
    scale = generate.SCALES[opts.scale]
    data_dir, manifest = generate.ensure(scale)
    out = BENCH_DIR / "results" / f"schedule-{scale.name}"
    if opts.db is not None:
        results = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
        with open_backend(db=opts.db) as backend:
            results["reports_again"] = {"at": _dt.datetime.now().isoformat(),
                                        "reports": time_reports(backend, manifest, opts.runs, server_process(opts.db))}
        write_json(out.with_suffix(".json"), results)
        out.with_suffix(".md").write_text(markdown(results), encoding="utf-8")
        return 0
    schedule_files = generate.ensure_schedule(scale, data_dir)
    work = BENCH_DIR / "work" / f"schedule-{scale.name}"
    results: dict[str, Any] = {"scale": scale.name, "machine": machine_info(), "started": _dt.datetime.now().isoformat()}
    base = [data_dir / f["file"] for f in manifest["files"] if not f["file"].endswith(".xlsx")]

    loads: dict[str, Any] = {}
    for record in (False, True):
        shutil.rmtree(work, ignore_errors=True)
        with open_backend(db=work / "db") as backend:
            backend.apply_schema(SCHEMA)
            seconds, result = timed_load(backend, base, record)
            entries = backend.read("MATCH (c:Change) RETURN count(c) AS n, sum(size(c.entity_ids)) AS e")[0]
            loads[f"first load, recording {'on' if record else 'off'}"] = {
                "seconds": round(seconds, 1), "rows": result.rows, "change_nodes": entries["n"],
                "change_entries": entries["e"]}
            log(f"base load (recording {record}): {seconds:.1f} s, {entries}")
    results["loads"] = loads
    with open_backend(db=work / "db") as backend:
        months = []
        for path in schedule_files:
            seconds, result = timed_load(backend, [path], True)
            months.append({"file": path.name, "rows": result.rows, "seconds": round(seconds, 1)})
            log(f"{path.name}: {seconds:.1f} s")
        results["schedule_loads"] = months
        december = schedule_files[-1]
        revised = {}
        for record in (False, True, False, True):
            # The same file name (the source every row records) in another folder: only the revised cells differ.
            folder = work / f"revised-{len(revised)}"
            folder.mkdir(parents=True, exist_ok=True)
            copy = corrected_month(december, folder / december.name, share=0.01 * (len(revised) + 1))
            seconds, result = timed_load(backend, [copy], record)
            revised[f"{'on' if record else 'off'} #{len(revised) + 1}"] = {
                "seconds": round(seconds, 2), "changed": result.counts.changed}
            log(f"revised month (recording {record}): {seconds:.2f} s, {result.counts.changed} changed")
        results["monthly_update"] = revised
        timings = time_reports(backend, manifest, opts.runs, server_process(work / "db"))
        results["reports"] = timings
        results["progress_nodes"] = backend.read("MATCH (r:Progress) RETURN count(r) AS n")[0]["n"]
    results["finished"] = _dt.datetime.now().isoformat()
    write_json(out.with_suffix(".json"), results)
    out.with_suffix(".md").write_text(markdown(results), encoding="utf-8")
    if not opts.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def markdown(results: dict[str, Any]) -> str:
    lines = [f"# Schedule at scale {results['scale']} (embedded FalkorDB)", "",
             f"Run {results['started'][:16]} on {results['machine'].get('cpu', '?')}; "
             f"{results['progress_nodes']:,} Progress records (a year of monthly reports) in the graph.", "",
             "## What recording field-level changes adds to a load", "",
             "| load | seconds | rows | Change nodes | entries |", "|---|---:|---:|---:|---:|"]
    for name, entry in results["loads"].items():
        lines.append(f"| {name} | {entry['seconds']} | {entry['rows']:,} | {entry['change_nodes']} | {entry['change_entries'] or 0:,} |")
    lines += ["", "| a month's report reloaded with revised figures | seconds | fields changed |", "|---|---:|---:|"]
    for name, entry in results["monthly_update"].items():
        lines.append(f"| recording {name} | {entry['seconds']} | {entry['changed']:,} |")
    lines += ["", "## Loading the plan and twelve monthly reports", "", "| file | rows | seconds |", "|---|---:|---:|"]
    lines += [f"| {m['file']} | {m['rows']:,} | {m['seconds']} |" for m in results["schedule_loads"]]
    runs = [("Reports", results["reports"])]
    if "reports_again" in results:
        runs.append((f"Reports again ({results['reports_again']['at'][:16]}, same database)",
                     results["reports_again"]["reports"]))
    for title, reports in runs:
        lines += ["", f"## {title}", "", "| report | runs | rows | p50 ms | p95 ms | max ms | CPU p50 ms | CPU p95 ms | load avg |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for name, e in reports.items():
            lines.append(f"| {name} | {e['runs']} | {e['rows']} | {e['p50_ms']} | {e['p95_ms']} | {e['max_ms']} | "
                         f"{e.get('cpu_p50_ms', '')} | {e.get('cpu_p95_ms', '')} | {e.get('loadavg', '')} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
