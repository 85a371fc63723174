"""The dashboard at a scale: time to gather its data and write the file, the file's size, and the
first render in Debian's Chromium (time until the overview is drawn, cold and warm), then the time
to open each section and to filter the project list.

    python bench/generate.py --scale M
    portfolio-graph --db /tmp/M.db load bench/data/M/*.csv     # once; see bench/README.md
    python bench/dashboard.py --scale M --db /tmp/M.db         # bench/results/dashboard-M.json

The database is loaded beforehand (the loader's own figures are in <SCALE>.md); its server is
started before the clock starts.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine_info, peak_rss_mb, write_json  # noqa: E402

from portfolio_graph import Portfolio  # noqa: E402
from portfolio_graph.dashboard import dashboard_data  # noqa: E402
from portfolio_graph.dashboard.page import render  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SECTIONS = ("chains", "goals", "projects", "deps", "sources")


def build(db: str, out: Path, lenient: bool, reports_dir: str | None) -> dict:
    with Portfolio.open(db=db) as pf:
        pf.stats()  # the server is up and has read its files before the clock starts
        start = time.perf_counter()
        data = dashboard_data(pf, lenient=lenient, reports_dir=reports_dir)
        gathered = time.perf_counter() - start
        html = render(data)
        out.write_text(html, encoding="utf-8")
        total = time.perf_counter() - start
        sizes = {key: len(json.dumps(value, ensure_ascii=False).encode()) for key, value in data.items()}
        return {"gather_s": round(gathered, 2), "gather_and_write_s": round(total, 2),
                "file_bytes": out.stat().st_size, "file_mib": round(out.stat().st_size / 2**20, 2),
                "data_bytes_by_part": sizes, "nodes_embedded": len(data["nodes"]),
                "projects": len(data["projects"]), "links": len(data["links"]),
                "python_peak_rss_mib": peak_rss_mb()}


def browse(path: Path, runs: int) -> dict:
    from playwright.sync_api import sync_playwright

    url = path.resolve().as_uri()
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            tempfile.mkdtemp(prefix="bench-chromium-"), executable_path=CHROMIUM, args=ARGS, headless=True,
            viewport={"width": 1300, "height": 900})
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        renders = []
        for _ in range(runs):
            page.goto("about:blank")
            start = time.perf_counter()
            page.goto(url, wait_until="commit")
            page.wait_for_selector("#overview.active .stat")
            renders.append(round(time.perf_counter() - start, 3))
        sections = {}
        for section in SECTIONS:
            start = time.perf_counter()
            page.click(f"nav button[data-section={section}]")
            page.wait_for_selector(f"#{section}.active > h2")
            sections[section] = round(time.perf_counter() - start, 3)
        page.click("nav button[data-section=projects]")
        start = time.perf_counter()
        page.select_option("#f-level", index=1)
        sections["projects: filter by level"] = round(time.perf_counter() - start, 3)
        start = time.perf_counter()
        page.fill("#f-search", "中心")
        sections["projects: search"] = round(time.perf_counter() - start, 3)
        heap = page.evaluate("performance.memory ? performance.memory.usedJSHeapSize : null")
        context.close()
    return {"first_render_s": renders, "first_render_cold_s": renders[0], "section_open_s": sections,
            "js_heap_mib": round(heap / 2**20, 1) if heap else None, "errors": errors}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", required=True)
    parser.add_argument("--db", required=True, help="an embedded database folder holding the scale's data")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--lenient", action="store_true")
    parser.add_argument("--reports-dir", help="report files that replace built-in ones of the same name (say so with the figures)")
    args = parser.parse_args()
    out = Path(tempfile.mkdtemp(prefix="bench-dashboard-")) / f"dashboard-{args.scale}.html"
    result = {"scale": args.scale, "machine": machine_info(), "reports_dir": args.reports_dir,
              "build": build(args.db, out, args.lenient, args.reports_dir)}
    result["browser"] = browse(out, args.runs)
    suffix = "-user-reports" if args.reports_dir else ""
    write_json(RESULTS / f"dashboard-{args.scale}{suffix}.json", result)
    print(json.dumps({k: v for k, v in result.items() if k != "machine"}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
