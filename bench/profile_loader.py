"""Profile ``portfolio-graph load`` in-process: the library call the CLI makes
(``Portfolio.open(db=...).load(files)`` -> ``loaders.load_files``), on a fresh embedded database.

    python bench/profile_loader.py --scale S [--backend falkordb|neo4j] [--top 40] [--pyinstrument]

Prints cProfile's top functions by own time and by cumulative time, and writes
bench/results/profile-<scale>-<backend>.txt.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import generate  # noqa: E402
from run import LOAD_FILES, RESULTS_DIR, Neo4jServer  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(generate.SCALES), default="S")
    parser.add_argument("--backend", choices=["falkordb", "neo4j"], default="falkordb")
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--pyinstrument", action="store_true", help="also print a pyinstrument call tree")
    opts = parser.parse_args(argv)
    from portfolio_graph.portfolio import Portfolio

    data_dir, _ = generate.ensure(generate.SCALES[opts.scale])
    files = [str(data_dir / f) for f in LOAD_FILES]
    work = Path(tempfile.mkdtemp(prefix="portfolio-graph-profile-"))
    server = Neo4jServer("4g") if opts.backend == "neo4j" else None
    portfolio = Portfolio.open(db=work / "db") if server is None else Portfolio.open(uri=server.uri)
    try:
        profiler = cProfile.Profile()
        started = time.perf_counter()
        if opts.pyinstrument:
            from pyinstrument import Profiler

            tree = Profiler(interval=0.005)
            tree.start()
        profiler.enable()
        result = portfolio.load(files)
        profiler.disable()
        wall = time.perf_counter() - started
        out = io.StringIO()
        out.write(f"load of {result.rows:,} rows ({opts.scale}, {opts.backend}): {wall:.2f} s under cProfile; "
                  f"backend.upsert {result.written.seconds:.2f} s\n\n")
        for order in ("tottime", "cumulative"):
            out.write(f"--- by {order} ---\n")
            stats = pstats.Stats(profiler, stream=out)
            stats.strip_dirs().sort_stats(order).print_stats(opts.top)
        if opts.pyinstrument:
            tree.stop()
            out.write("--- pyinstrument ---\n")
            out.write(tree.output_text(unicode=True, color=False, show_all=False))
        text = out.getvalue()
        path = RESULTS_DIR / f"profile-{opts.scale}-{opts.backend}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(text)
    finally:
        portfolio.close()
        if server is not None:
            server.close()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
