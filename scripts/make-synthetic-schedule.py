#!/usr/bin/env python3
"""Write the 东城 sample's synthetic 2023 plan and three monthly progress reports.

The 东城 work report states no monthly figures. These files are invented, deterministically (seed 14),
for the sample's 2023 projects (counted sets left out), so the schedule reports and the demo have
something to show. Every row says so in 备注; they live apart from the quoted facts, in
data/dongcheng/synthetic/. Re-run after changing the sample's projects:

    .venv/bin/python scripts/make-synthetic-schedule.py
"""

from __future__ import annotations

import csv
from pathlib import Path

from portfolio_graph.schedule.synthetic import SyntheticProject, write_files

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "dongcheng"


def main() -> None:
    with (SAMPLE / "nodes" / "Project.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["year"] == "2023" and r["kind"] != "集合"]
    projects = [SyntheticProject(r["id"], r["name"], total_wan=float(r["investment_yi"]) * 10000
                                 if r["investment_yi"] else None) for r in rows]
    for path in write_files(projects, SAMPLE / "synthetic", 2023, [3, 4, 5]):
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
