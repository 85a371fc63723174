"""Benchmarks: load throughput as a ratio to each engine's own fast path, report latency, memory.

    python bench/run.py --scale S|M|L [--backends falkordb,neo4j] [--skip-reports] [--repeat N]

For each backend, the same generated files (bench/generate.py) go through:

- ``loader``: the real CLI, ``portfolio-graph --db DIR|--uri URI load FILES... --show 0``, as a
  child process, timed from launch to exit (start-up and imports included);
- the engine's fast paths (bench/paths.py, also child processes timed from launch to exit):
  FalkorDB: UNWIND batches through the falkordb client, and falkordb-bulk-loader (GRAPH.BULK);
  Neo4j: UNWIND batches through the driver, and LOAD CSV ... CALL { } IN TRANSACTIONS;
- ``backend-upsert``: the project's Backend.upsert on the same rows without the loader, which
  splits the loader's time into "reading, checking, diffing" and "writing";
- on scale S only, the lower anchor: one transaction (FalkorDB: one query) per row.

Every path starts from an empty database on an already running server (the embedded server is
started before the clock starts; Neo4j is a fresh server per path), and every path is checked to
have built the same graph: node counts per label and relationship counts per type.

Then every canned report runs on the graph the loader built, with parameters taken from the
generated data; p50/p95 come from ``--report-runs`` runs after two warm-up runs.

Results: bench/results/<scale>.json and bench/results/<scale>.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import generate  # noqa: E402
from common import (  # noqa: E402
    REPO, VENV_BIN, falkordb_versions, machine_info, peak_rss_mb, reset_peak, run_child, write_json,
)
from reference import read_dataset  # noqa: E402

RESULTS_DIR = BENCH_DIR / "results"
PYTHON = sys.executable
CLI = str(VENV_BIN / "portfolio-graph")
BULK_CLI = str(VENV_BIN / "falkordb-bulk-insert")
LOAD_FILES = [f for f, *_ in generate.NODE_FILES + generate.REL_FILES]
TARGET_RATIO = 1.5
TARGET_P95_MS = 200.0


import logging  # noqa: E402

# The driver logs every server notification (unknown property, deprecated syntax) as a warning.
logging.getLogger("neo4j").setLevel(logging.ERROR)


def log(message: str) -> None:
    print(f"[{dt.datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def loadavg() -> float:
    return round(os.getloadavg()[0], 2)


# -- graph checks ---------------------------------------------------------------------------------

COUNT_LABELS = "MATCH (n) UNWIND labels(n) AS label RETURN label AS label, count(*) AS count"
COUNT_TYPES = "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS count"


def graph_counts(rows_labels: list[dict[str, Any]], rows_types: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    labels = {r["label"]: int(r["count"]) for r in rows_labels if r["label"] != "Load"}
    types = {r["type"]: int(r["count"]) for r in rows_types}
    return {"labels": dict(sorted(labels.items())), "relationships": dict(sorted(types.items()))}


def compare_counts(expected: dict[str, dict[str, int]], got: dict[str, dict[str, int]]) -> list[str]:
    problems = []
    for kind in ("labels", "relationships"):
        for name in sorted(set(expected[kind]) | set(got[kind])):
            if expected[kind].get(name, 0) != got[kind].get(name, 0):
                problems.append(f"{name}: expected {expected[kind].get(name, 0)}, got {got[kind].get(name, 0)}")
    return problems


# -- the engines ------------------------------------------------------------------------------------

class Embedded:
    """A fresh embedded database folder whose server runs before and after the timed path."""

    name = "falkordb"

    def __init__(self, root: Path, tag: str):
        from portfolio_graph.graph.embedded_server import attach

        self.path = root / f"falkordb-{tag}"
        shutil.rmtree(self.path, ignore_errors=True)
        self.lease = attach(self.path)
        state = json.loads((self.path / "server.json").read_text())
        self.server_pid = int(state["server_pid"])
        self.args = ["--db", str(self.path)]

    def reset_peaks(self) -> None:
        reset_peak(self.server_pid)

    def server_peak_mb(self) -> float | None:
        return peak_rss_mb(self.server_pid)

    def client(self) -> Any:
        from falkordb import FalkorDB

        return FalkorDB(unix_socket_path=str(self.lease.socket_path))

    def counts(self) -> dict[str, dict[str, int]]:
        from portfolio_graph.graph import open_backend

        with open_backend(db=self.path) as backend:
            return graph_counts(backend.read(COUNT_LABELS), backend.read(COUNT_TYPES))

    def versions(self) -> dict[str, Any]:
        db = self.client()
        try:
            return falkordb_versions(db.connection)
        finally:
            db.connection.close()

    def disk_mb(self) -> float:
        return round(sum(f.stat().st_size for f in self.path.rglob("*") if f.is_file()) / 2**20, 1)

    def close(self, keep: bool = False) -> None:
        self.lease.release()
        if not keep:
            _wait_server_exit(self.server_pid)
            shutil.rmtree(self.path, ignore_errors=True)


def _wait_server_exit(pid: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except OSError:
            return
        time.sleep(0.1)


def _neo4j_server_class() -> Any:
    sys.path.insert(0, str(REPO / "tests"))
    from neo4j_server.server import Neo4jTestServer

    return Neo4jTestServer


class Neo4jServer:
    """A fresh Neo4j 5.26 (tests/neo4j_server) per path, so every path starts from an empty store."""

    name = "neo4j"

    def __init__(self, heap: str):
        import inspect

        cls = _neo4j_server_class()
        kwargs = {"heap": heap} if "heap" in inspect.signature(cls.__init__).parameters else {}
        self.server = cls(**kwargs)
        self.heap = heap if kwargs else "2g (Neo4jTestServer default)"
        self.server_pid = self.server.process.pid
        self.args = ["--uri", self.server.uri]
        self.uri = self.server.uri

    def reset_peaks(self) -> None:
        reset_peak(self.server_pid)

    def server_peak_mb(self) -> float | None:
        return peak_rss_mb(self.server_pid)

    def driver(self) -> Any:
        import neo4j

        return neo4j.GraphDatabase.driver(self.uri, auth=None)

    def counts(self) -> dict[str, dict[str, int]]:
        with self.driver() as driver:
            labels = driver.execute_query(COUNT_LABELS).records
            types = driver.execute_query(COUNT_TYPES).records
        return graph_counts([dict(r) for r in labels], [dict(r) for r in types])

    def versions(self) -> dict[str, Any]:
        with self.driver() as driver:
            records = driver.execute_query("CALL dbms.components() YIELD name, versions, edition "
                                           "RETURN name, versions, edition").records
            settings = driver.execute_query(
                "SHOW SETTINGS YIELD name, value WHERE name IN ['server.memory.pagecache.size', "
                "'dbms.memory.transaction.total.max', 'server.memory.heap.max_size'] RETURN name, value").records
        info = {r["name"]: f"{r['versions'][0]} {r['edition']}" for r in records}
        info.update({r["name"]: r["value"] for r in settings})
        info["jvm_heap"] = self.heap
        return info

    def close(self, keep: bool = False) -> None:
        self.server.stop()


# -- one measured path -------------------------------------------------------------------------------

def measure(engine: Any, name: str, args: list[str], rows: int, expected: dict[str, dict[str, int]] | None,
            check: bool = True, extra: dict[str, Any] | None = None, timeout: float | None = None) -> dict[str, Any]:
    gc.collect()
    engine.reset_peaks()
    before = loadavg()
    log(f"{engine.name}: {name} ...")
    child = run_child(args, cwd=REPO, timeout=timeout)
    result: dict[str, Any] = {
        "path": name,
        "ok": child.returncode == 0,
        "wall_s": round(child.wall_s, 3),
        "rows": rows,
        "rows_per_s": round(rows / child.wall_s, 1) if child.wall_s > 0 else None,
        "peak_rss_mb": {"client": child.peak_rss_mb, "server": engine.server_peak_mb()},
        "loadavg_before": before,
        "loadavg_after": loadavg(),
        "command": " ".join(a if " " not in a else repr(a) for a in args[:6]) + (" ..." if len(args) > 6 else ""),
    }
    if extra:
        result.update(extra)
    if child.returncode != 0:
        result["error"] = (child.stderr or child.stdout)[-3000:]
        log(f"  FAILED ({child.returncode}): {result['error'][-800:]}")
        return result
    last = [line for line in child.stdout.splitlines() if line.startswith("{")]
    if last:
        try:
            result["inner"] = json.loads(last[-1])
        except ValueError:
            pass
    summary = [line for line in child.stdout.splitlines() if line.startswith("Loaded ")]
    if summary:
        result["cli_summary"] = summary[-1]
    if check and expected is not None:
        got = engine.counts()
        mismatches = compare_counts(expected, got)
        result["same_graph"] = not mismatches
        if mismatches:
            result["count_mismatches"] = mismatches[:20]
            log(f"  graph differs from the reference: {mismatches[:5]}")
    log(f"  {result['wall_s']:.2f} s, {result['rows_per_s']:,.0f} rows/s, "
        f"peak RSS client {child.peak_rss_mb} MiB / server {result['peak_rss_mb']['server']} MiB")
    return result


def best_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    ok = [r for r in runs if r.get("ok")]
    if not ok:
        return runs[-1]
    best = dict(min(ok, key=lambda r: r["wall_s"]))
    if len(runs) > 1:
        best["all_wall_s"] = [r["wall_s"] for r in runs]
    return best


# -- the benchmark per backend ------------------------------------------------------------------------

def loader_args(engine: Any, data_dir: Path, xlsx: bool = False) -> list[str]:
    files = [str(data_dir / (generate.PROJECT_XLSX if xlsx and f == "重点项目.csv" else f)) for f in LOAD_FILES]
    return [CLI, *engine.args, "load", *files, "--show", "0"]


def run_falkordb(scale: generate.Scale, data_dir: Path, work: Path, expected: dict[str, Any], rows: int,
                 opts: argparse.Namespace, manifest: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"paths": {}}
    repeat = opts.repeat

    def path(name: str, make_args, check: bool = True, keep: bool = False, extra: dict[str, Any] | None = None,
             before=None, times: int = repeat) -> tuple[dict[str, Any], Any]:
        runs, kept = [], None
        for attempt in range(times):
            engine = Embedded(work, f"{name}-{attempt}")
            try:
                if before:
                    before(engine)
                result = measure(engine, name, make_args(engine), rows, expected, check, extra)
                result["disk_mb"] = engine.disk_mb()
                runs.append(result)
            finally:
                last = attempt == times - 1
                if keep and last:
                    kept = engine
                else:
                    engine.close()
        return best_of(runs), kept

    out["paths"]["loader"], loaded = path("loader", lambda e: loader_args(e, data_dir), keep=True)
    try:
        out["versions"] = loaded.versions()
        if not opts.skip_reports:
            from portfolio_graph.graph import open_backend

            with open_backend(db=loaded.path) as backend:
                out["reports"] = run_reports(backend, manifest, opts, loaded.server_pid)
        out["paths"]["loader"]["server_rss_after_reports_mb"] = loaded.server_peak_mb()
    finally:
        loaded.close()
    if scale.xlsx and not opts.quick:
        out["paths"]["loader-xlsx"], _ = path("loader-xlsx", lambda e: loader_args(e, data_dir, xlsx=True), times=1)
    out["paths"]["falkordb-unwind"], _ = path(
        "falkordb-unwind", lambda e: [PYTHON, str(BENCH_DIR / "paths.py"), "falkordb-unwind", "--data", str(data_dir),
                                      "--batch", str(opts.batch), *e.args])
    # falkordb-bulk-loader reads its own CSV format: convert once (timed), then time the import.
    bulk_dir = work / "bulk-csv"
    conv = run_child([PYTHON, str(BENCH_DIR / "paths.py"), "falkordb-bulk-csv", "--data", str(data_dir),
                      "--out-dir", str(bulk_dir)], cwd=REPO)
    if conv.returncode == 0:
        bulk_args = json.loads((bulk_dir / "bulk_args.json").read_text())
        out["paths"]["falkordb-bulk"], _ = path(
            "falkordb-bulk", lambda e: [BULK_CLI, "portfolio", "--server-url", f"unix://{e.lease.socket_path}",
                                        "--enforce-schema", *bulk_args],
            extra={"convert_s": round(conv.wall_s, 3), "convert_peak_rss_mb": conv.peak_rss_mb})
        shutil.rmtree(bulk_dir, ignore_errors=True)
    else:
        out["paths"]["falkordb-bulk"] = {"path": "falkordb-bulk", "ok": False, "error": conv.stderr[-2000:]}
    out["paths"]["backend-upsert"], _ = path(
        "backend-upsert", lambda e: [PYTHON, str(BENCH_DIR / "paths.py"), "backend-upsert", "--data", str(data_dir),
                                     *e.args], times=1)
    if scale.name in ("S", "T") and not opts.quick:
        out["paths"]["falkordb-per-row"], _ = path(
            "falkordb-per-row", lambda e: [PYTHON, str(BENCH_DIR / "paths.py"), "falkordb-per-row", "--data",
                                           str(data_dir), *e.args], times=1)
    return out


def run_neo4j(scale: generate.Scale, data_dir: Path, work: Path, expected: dict[str, Any], rows: int,
              opts: argparse.Namespace, manifest: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"paths": {}}

    def path(name: str, make_args, after=None, times: int = opts.repeat) -> dict[str, Any]:
        runs = []
        for attempt in range(times):
            log(f"neo4j: starting a fresh server for {name}")
            engine = Neo4jServer(opts.neo4j_heap)
            try:
                runs.append(measure(engine, name, make_args(engine), rows, expected))
                if after and attempt == times - 1:
                    after(engine)
            finally:
                engine.close()
        return best_of(runs)

    def after_loader(engine: Neo4jServer) -> None:
        out["versions"] = engine.versions()
        if not opts.skip_reports:
            from portfolio_graph.graph import open_backend

            with open_backend(uri=engine.uri) as backend:
                out["reports"] = run_reports(backend, manifest, opts, engine.server_pid)

    out["paths"]["loader"] = path("loader", lambda e: loader_args(e, data_dir), after=after_loader)
    paths_py = [PYTHON, str(BENCH_DIR / "paths.py")]
    out["paths"]["neo4j-unwind"] = path(
        "neo4j-unwind", lambda e: [*paths_py, "neo4j-unwind", "--data", str(data_dir), "--batch",
                                   str(opts.neo4j_batch), *e.args])
    out["paths"]["neo4j-load-csv"] = path(
        "neo4j-load-csv", lambda e: [*paths_py, "neo4j-load-csv", "--data", str(data_dir), *e.args])
    out["paths"]["backend-upsert"] = path(
        "backend-upsert", lambda e: [*paths_py, "backend-upsert", "--data", str(data_dir), *e.args], times=1)
    if scale.name in ("S", "T") and not opts.quick:
        out["paths"]["neo4j-per-row"] = path(
            "neo4j-per-row", lambda e: [*paths_py, "neo4j-per-row", "--data", str(data_dir), *e.args], times=1)
    return out


# -- reports -------------------------------------------------------------------------------------------

def report_params(spec: Any, sample: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(variant, params): 'focused' names one real thing (or narrows by year/status) where the
    report has such a parameter; 'all' runs with the defaults over the whole portfolio."""
    names = {p.name: p for p in spec.params}
    focused: dict[str, Any] = {}
    for name, param in names.items():
        if param.type == "ref":
            labels = tuple(param.labels)
            if "Chain" in labels:
                focused[name] = sample["chain"]
            elif "Project" in labels and len(labels) == 1:
                focused[name] = sample["project_id"]
            elif "Parcel" in labels:
                focused[name] = sample["parcel_id"]
                if param.label_param:
                    focused[param.label_param] = "Parcel"
            elif "Enterprise" in labels:
                focused[name] = sample["enterprise"]
            elif "Area" in labels:
                focused[name] = sample["area"]
        elif name == "year":
            focused[name] = 2024
        elif name == "land_status":
            focused[name] = "收储"
        elif name == "section" and "政策支持" in (param.choices or ()):
            focused[name] = "政策支持"
    required = [p.name for p in spec.params if p.required]
    variants: list[tuple[str, dict[str, Any]]] = []
    if focused:
        variants.append(("focused", focused))
    if not required:
        variants.append(("all", {}))
    return variants


def set_query_timeout(backend: Any, seconds: float) -> str:
    """Bound every query on the benchmark's own server, so a pathological whole-portfolio report
    variant costs at most this long (0 turns the bound off)."""
    if backend.name == "falkordb":
        backend._conn.execute_command("GRAPH.CONFIG", "SET", "TIMEOUT_DEFAULT", int(seconds * 1000))
        return "GRAPH.CONFIG SET TIMEOUT_DEFAULT"
    backend.write("CALL dbms.setConfigValue('db.transaction.timeout', $value)", {"value": f"{int(seconds)}s" if seconds else "0s"})
    return "db.transaction.timeout"


def _cpu_s(process: Any) -> float:
    times = process.cpu_times()
    return times.user + times.system


def run_reports(backend: Any, manifest: dict[str, Any], opts: argparse.Namespace,
                server_pid: int | None = None) -> dict[str, Any]:
    """p50/p95 of wall time per report, and of CPU time (this process + the database server):
    on a shared, loaded machine the CPU time is the steadier estimate of what an idle machine
    would show as latency."""
    import psutil

    from portfolio_graph.reports import list_reports, run_report

    server = psutil.Process(server_pid) if server_pid else None

    sample = manifest["sample"]
    results: dict[str, Any] = {}
    timeout_s = opts.report_timeout_s
    try:
        set_query_timeout(backend, timeout_s)
    except Exception as exc:
        log(f"  cannot bound report queries: {exc}")
    try:
        for spec in list_reports():
            for variant, params in report_params(spec, sample):
                if variant not in opts.report_variants.split(","):
                    continue
                key = f"{spec.name} [{variant}]"
                runs = opts.report_runs if variant == "focused" else opts.report_runs_all
                warmups = 2 if variant == "focused" else 1
                timings: list[float] = []
                cpu: list[float] = []
                rows = None
                error = None
                loads = [loadavg()]
                for i in range(warmups + runs):
                    started = time.perf_counter()
                    cpu_started = time.process_time() + (_cpu_s(server) if server else 0.0)
                    try:
                        result = run_report(backend, spec, params)
                    except Exception as exc:  # a broken or timed-out report must not stop the benchmark
                        elapsed = (time.perf_counter() - started) * 1000
                        timed_out = "timed out" in str(exc).lower() or "timeout" in str(exc).lower() \
                            or elapsed >= timeout_s * 1000 * 0.95
                        error = (f"timed out after {timeout_s:g} s" if timed_out
                                 else f"{type(exc).__name__}: {exc}"[:500])
                        break
                    elapsed = (time.perf_counter() - started) * 1000
                    cpu_ms = (time.process_time() + (_cpu_s(server) if server else 0.0) - cpu_started) * 1000
                    rows = len(result.rows)
                    if i >= warmups or elapsed > opts.report_budget_s * 1000:
                        timings.append(elapsed)
                        cpu.append(cpu_ms)
                    if elapsed > opts.report_budget_s * 1000:
                        break  # a slow whole-portfolio variant: one run says enough
                entry: dict[str, Any] = {"report": spec.name, "variant": variant, "params": params}
                if error:
                    entry.update({"ok": False, "error": error})
                    log(f"  report {key}: {error[:200]}")
                else:
                    timings.sort()
                    cpu.sort()
                    loads.append(loadavg())
                    entry.update({
                        "ok": True, "rows": rows, "runs": len(timings),
                        "p50_ms": round(_percentile(timings, 50), 1), "p95_ms": round(_percentile(timings, 95), 1),
                        "max_ms": round(timings[-1], 1),
                        "cpu_p50_ms": round(_percentile(cpu, 50), 1), "cpu_p95_ms": round(_percentile(cpu, 95), 1),
                        "loadavg": loads})
                    log(f"  report {key}: p50 {entry['p50_ms']} ms, p95 {entry['p95_ms']} ms "
                        f"(CPU p95 {entry['cpu_p95_ms']} ms), {rows} rows")
                results[key] = entry
    finally:
        try:
            set_query_timeout(backend, 0)
        except Exception:
            pass
    return results


def _percentile(values: list[float], pct: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(pct) - 1]


# -- ratios, targets, tables --------------------------------------------------------------------------

FAST_PATHS = {"falkordb": ("falkordb-unwind", "falkordb-bulk"), "neo4j": ("neo4j-unwind", "neo4j-load-csv")}


def ratios(backend: str, paths: dict[str, Any]) -> dict[str, Any]:
    loader = paths.get("loader", {})
    out: dict[str, Any] = {}
    if not loader.get("ok"):
        return {"error": "the loader path failed"}
    for name, result in paths.items():
        if result.get("ok") and result.get("wall_s"):
            result["loader_time_ratio"] = round(loader["wall_s"] / result["wall_s"], 2)
    fast = [paths[n] for n in FAST_PATHS[backend] if paths.get(n, {}).get("ok")]
    if fast:
        fastest = min(fast, key=lambda r: r["wall_s"])
        out["fastest_path"] = fastest["path"]
        out["loader_vs_fastest"] = round(loader["wall_s"] / fastest["wall_s"], 2)
        out["target_ratio"] = TARGET_RATIO
        out["target_met"] = out["loader_vs_fastest"] <= TARGET_RATIO
    upsert = paths.get("backend-upsert", {})
    if upsert.get("ok") and upsert.get("inner", {}).get("phases"):
        write_s = upsert["inner"]["phases"].get("upsert")
        if write_s:
            out["loader_write_share"] = round(write_s / loader["wall_s"], 2)
    return out


def describe_path(name: str, result: dict[str, Any]) -> str:
    labels = {
        "loader": "`portfolio-graph load` (CLI, CSV files)",
        "loader-xlsx": "`portfolio-graph load` (CLI, project list as .xlsx)",
        "falkordb-unwind": "UNWIND batches, falkordb client",
        "falkordb-bulk": "falkordb-bulk-loader (GRAPH.BULK)",
        "falkordb-per-row": "one query per row (anchor)",
        "neo4j-unwind": "UNWIND batches, driver",
        "neo4j-load-csv": "LOAD CSV, CALL {} IN TRANSACTIONS",
        "neo4j-per-row": "one transaction per row (anchor)",
        "backend-upsert": "Backend.upsert only (no loader)",
    }
    return labels.get(name, name)


def markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = [
        f"# Benchmark, scale {results['scale']['name']}",
        "",
        f"{results['started']} · {m['cpu_model']}, {m['cores']} cores, {m['memory_gib']} GiB · Python {m['python']} · "
        f"load average at start {results['loadavg_start']} (2 cores shared with other sessions' test runs; "
        "the table shows the 1-minute load average before–after each path)",
        "",
        f"Data: {results['data']['rows']:,} file rows → {results['data']['nodes']:,} nodes and "
        f"{results['data']['rels']:,} relationships "
        f"({results['scale']['enterprises']:,} enterprises, {results['scale']['projects']:,} projects, "
        f"{results['scale']['chains']} chains × {results['scale']['segments_per_chain']} segments).",
        "",
    ]
    for backend, data in results["backends"].items():
        if "error" in data and "paths" not in data:
            lines += [f"## {backend}", "", f"failed: {data['error'][:500]}", ""]
            continue
        versions = ", ".join(f"{k} {v}" for k, v in (data.get("versions") or {}).items())
        lines += [f"## {backend}", "", f"{versions}", ""]
        lines += ["| path | wall s | rows/s | loader time ÷ this | same graph | peak RSS client MiB | peak RSS server MiB | load avg |",
                  "|---|---:|---:|---:|:-:|---:|---:|---:|"]
        for name, r in data["paths"].items():
            if not r.get("ok"):
                lines.append(f"| {describe_path(name, r)} | failed | | | | | | |")
                continue
            wall = f"{r['wall_s']:.2f}"
            if name == "falkordb-bulk" and r.get("convert_s"):
                wall += f" (+{r['convert_s']:.2f} convert)"
            same = {True: "yes", False: "**no**", None: "–"}[r.get("same_graph")]
            lines.append(
                f"| {describe_path(name, r)} | {wall} | {r['rows_per_s']:,.0f} | {r.get('loader_time_ratio', '')} | "
                f"{same} | {r['peak_rss_mb']['client']} | {r['peak_rss_mb']['server']} | "
                f"{r.get('loadavg_before', '')}–{r.get('loadavg_after', '')} |")
        rat = data.get("ratios", {})
        if "loader_vs_fastest" in rat:
            lines += ["", f"Loader vs fastest engine path ({rat['fastest_path']}): **{rat['loader_vs_fastest']}×** "
                          f"(target ≤ {TARGET_RATIO}×: {'met' if rat['target_met'] else 'not met'})."]
        if "loader_write_share" in rat:
            lines.append(f"Backend.upsert of the same rows (no provenance, measured in its own run) takes "
                         f"{rat['loader_write_share']:.0%} of the loader's wall time; the rest is reading, "
                         "checking, resolving and diffing (and start-up).")
        reports = data.get("reports")
        if reports:
            lines += ["", "| report | params | rows | p50 ms | p95 ms | CPU p50 ms | CPU p95 ms |",
                      "|---|---|---:|---:|---:|---:|---:|"]
            for key, r in reports.items():
                params = ", ".join(f"{k}={v}" for k, v in r.get("params", {}).items()) or "(defaults: everything)"
                if not r.get("ok"):
                    lines.append(f"| {r['report']} | {params} | {r['error'][:120]} | | | | |")
                    continue
                lines.append(f"| {r['report']} | {params} | {r['rows']:,} | {r['p50_ms']} | {r['p95_ms']} | "
                             f"{r.get('cpu_p50_ms', '')} | {r.get('cpu_p95_ms', '')} |")
        lines.append("")
    targets = results.get("targets", {})
    if targets:
        lines += ["## Targets", ""]
        for name, t in targets.items():
            lines.append(f"- {name}: {'met' if t['met'] else 'NOT met'} — {t['detail']}")
        lines.append("")
    return "\n".join(lines)


def targets(results: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    scale = results["scale"]["name"]
    for backend, data in results["backends"].items():
        rat = data.get("ratios", {})
        if "loader_vs_fastest" in rat:
            out[f"{backend} loader within {TARGET_RATIO}x of the fastest path"] = {
                "met": rat["target_met"],
                "detail": f"{rat['loader_vs_fastest']}x of {rat['fastest_path']}"}
    reports = results["backends"].get("falkordb", {}).get("reports")
    if reports and scale == "M":
        focused = {k: r for k, r in reports.items() if r["variant"] == "focused" or
                   not any(x["report"] == r["report"] and x["variant"] == "focused" for x in reports.values())}
        slow = {k: r for k, r in focused.items() if not r.get("ok") or r["p95_ms"] >= TARGET_P95_MS}
        slow_cpu = {k: r for k, r in focused.items() if not r.get("ok") or r.get("cpu_p95_ms", 0) >= TARGET_P95_MS}
        out[f"every canned report p95 < {TARGET_P95_MS:.0f} ms at M (embedded), wall clock"] = {
            "met": not slow,
            "detail": "all below" if not slow else "over: " + ", ".join(
                f"{k} {r.get('p95_ms', r.get('error'))} ms" for k, r in slow.items())}
        out[f"every canned report p95 < {TARGET_P95_MS:.0f} ms at M (embedded), CPU time (load-independent)"] = {
            "met": not slow_cpu,
            "detail": "all below" if not slow_cpu else "over: " + ", ".join(
                f"{k} {r.get('cpu_p95_ms', r.get('error'))} ms" for k, r in slow_cpu.items())}
    loader = results["backends"].get("falkordb", {}).get("paths", {}).get("loader")
    if loader and scale == "L":
        out["L loads on the embedded backend without running out of memory"] = {
            "met": bool(loader.get("ok")),
            "detail": f"peak RSS CLI {loader.get('peak_rss_mb', {}).get('client')} MiB, "
                      f"redis-server {loader.get('peak_rss_mb', {}).get('server')} MiB"}
    return out


# -- main -----------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(generate.SCALES), default="S")
    parser.add_argument("--backends", default="falkordb,neo4j")
    parser.add_argument("--repeat", type=int, default=None, help="runs per load path, best kept (default: 2 on S, else 1)")
    parser.add_argument("--batch", type=int, default=20_000, help="UNWIND batch size, FalkorDB fast path")
    parser.add_argument("--neo4j-batch", type=int, default=10_000, help="UNWIND batch size, Neo4j fast path")
    parser.add_argument("--neo4j-heap", default="4g")
    parser.add_argument("--report-runs", type=int, default=20)
    parser.add_argument("--report-runs-all", type=int, default=5, help="runs of each whole-portfolio variant")
    parser.add_argument("--report-budget-s", type=float, default=5.0,
                        help="stop repeating a report variant after a run this slow")
    parser.add_argument("--report-timeout-s", type=float, default=60.0,
                        help="server-side time limit of one report query")
    parser.add_argument("--skip-reports", action="store_true")
    parser.add_argument("--report-variants", default="focused,all",
                        help="focused (one real chain, project, parcel... or a year) and/or all (the defaults)")
    parser.add_argument("--quick", action="store_true", help="skip the xlsx variant and the per-row anchor")
    parser.add_argument("--work-dir", type=Path, default=None, help="where databases go (default: a temp folder)")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR)
    parser.add_argument("--tag", default="", help="suffix of the result file names")
    opts = parser.parse_args(argv)
    scale = generate.SCALES[opts.scale]
    opts.repeat = opts.repeat or (2 if scale.name == "S" else 1)

    started = dt.datetime.now().astimezone()
    log(f"scale {scale.name}: generating (or reusing) the data")
    data_dir, manifest = generate.ensure(scale)
    dataset = read_dataset(data_dir)
    expected = dataset.counts()
    rows = dataset.file_rows
    results: dict[str, Any] = {
        "scale": manifest["scale"],
        "started": started.isoformat(timespec="seconds"),
        "loadavg_start": loadavg(),
        "machine": machine_info(),
        "data": {"dir": str(data_dir.relative_to(REPO)) if data_dir.is_relative_to(REPO) else str(data_dir),
                 "rows": rows, "nodes": dataset.node_count, "rels": dataset.rel_count,
                 "files": [{k: f[k] for k in ("file", "rows", "bytes")} for f in manifest["files"]],
                 "expected": expected},
        "method": {
            "rows": "data rows of the CSV files (every path reads the same files and builds the same graph)",
            "wall_s": "child process from launch to exit; the database server is already running and empty",
            "loader": "real CLI: portfolio-graph load FILES --show 0 (subprocess)",
            "repeat": opts.repeat, "falkordb_batch": opts.batch, "neo4j_batch": opts.neo4j_batch,
        },
        "backends": {},
    }
    del dataset
    work = Path(opts.work_dir or tempfile.mkdtemp(prefix="portfolio-graph-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    for backend in [b.strip() for b in opts.backends.split(",") if b.strip()]:
        runner = {"falkordb": run_falkordb, "neo4j": run_neo4j}[backend]
        try:
            data = runner(scale, data_dir, work, expected, rows, opts, manifest)
            data["ratios"] = ratios(backend, data["paths"])
        except Exception as exc:
            log(f"{backend}: {type(exc).__name__}: {exc}")
            data = {"error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()[-4000:]}
        results["backends"][backend] = data
        _save(results, opts, scale)
    results["targets"] = targets(results)
    results["finished"] = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    md = _save(results, opts, scale)
    if opts.work_dir is None:
        shutil.rmtree(work, ignore_errors=True)
    print(md)
    return 0


def _save(results: dict[str, Any], opts: argparse.Namespace, scale: generate.Scale) -> str:
    stem = scale.name + (f"-{opts.tag}" if opts.tag else "")
    write_json(opts.out / f"{stem}.json", results)
    md = markdown(results)
    (opts.out / f"{stem}.md").write_text(md, encoding="utf-8")
    return md


if __name__ == "__main__":
    sys.exit(main())
