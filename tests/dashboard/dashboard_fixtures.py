"""Graphs for the dashboard tests: the 东城 sample, and a portfolio whose every name is hostile text
(from the hostile-input tests) loaded through the same loader, plus names no loader would keep
(U+2028/U+2029, a closing </script>) written straight into the graph."""

from __future__ import annotations

import csv
from pathlib import Path

from portfolio_graph.loaders import load_files
from portfolio_graph.sample import load_sample, load_schedule_sample
from test_hostile_support import HOSTILE

# Names the loader would collapse (line separators) or that target the embedded JSON block.
RAW_NAMES = {
    "P-RAW-1": "</script><script>window.__pwned = 1</script>",
    "P-RAW-2": "a\u2028b\u2029c <!-- <script>window.__pwned = 2</script>",
    "P-RAW-3": "<img src=x onerror=\"window.__pwned=3\"> & &amp; ]]>",
}
HOSTILE_CHAIN = "<script>window.__pwned=4</script>链"


def collapse(text: str) -> str:
    return " ".join(text.split())


def _write(path: Path, header: list[str], rows: list[list[object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def hostile_portfolio(folder: Path) -> dict[str, str]:
    """Write the files; returns node id → the name as the loader stores it."""
    keys = list(HOSTILE)
    names: dict[str, str] = {}
    projects, enterprises, segments, areas, goals = [], [], [], [], []
    for n, key in enumerate(keys):
        text = HOSTILE[key]
        projects.append([f"P-{n}", text, "受阻" if n % 3 == 0 else "在建", "市重点", 1.5 + n, 2023])
        enterprises.append([f"E-{n}", text])
        areas.append([f"A-{n}", text])
        goals.append([f"G-{n}", text, text, 100, 2023])
        names.update({f"P-{n}": collapse(text), f"E-{n}": collapse(text)})
    segments = [[f"S-{n}", HOSTILE[k], n + 1] for n, k in enumerate(keys[:6])]
    _write(folder / "nodes" / "Chain.csv", ["id", "name"], [["C-H", HOSTILE_CHAIN]])
    _write(folder / "nodes" / "ChainSegment.csv", ["id", "name", "position"], segments)
    _write(folder / "nodes" / "Project.csv", ["id", "name", "status", "level", "investment_yi", "year"], projects)
    _write(folder / "nodes" / "Enterprise.csv", ["id", "name"], enterprises)
    _write(folder / "nodes" / "Area.csv", ["id", "name"], areas)
    _write(folder / "nodes" / "Goal.csv", ["id", "name", "metric", "target_value", "year"], goals)
    _write(folder / "nodes" / "Parcel.csv", ["id", "name", "land_status"], [["L-H", HOSTILE["markup"], "收储"]])
    rels = ["from_label", "from_id", "to_label", "to_id"]
    _write(folder / "rels" / "PART_OF.csv", rels, [["ChainSegment", s[0], "Chain", "C-H"] for s in segments])
    _write(folder / "rels" / "IN_SEGMENT.csv", rels, [["Enterprise", f"E-{n}", "ChainSegment", f"S-{n % 6}"] for n in range(len(keys))])
    _write(folder / "rels" / "ANCHORS.csv", rels, [["Enterprise", "E-0", "Chain", "C-H"]])
    _write(folder / "rels" / "IN_CHAIN.csv", rels, [["Project", f"P-{n}", "ChainSegment", f"S-{n % 6}"] for n in range(len(keys))])
    _write(folder / "rels" / "LOCATED_IN.csv", rels, [["Project", f"P-{n}", "Area", f"A-{n}"] for n in range(len(keys))])
    _write(folder / "rels" / "DEPENDS_ON.csv", rels, [["Project", f"P-{n}", "Project", f"P-{n - 1}"] for n in range(1, 6)])
    _write(folder / "rels" / "USES_PARCEL.csv", rels, [["Project", "P-0", "Parcel", "L-H"]])
    _write(folder / "rels" / "CONTRIBUTES_TO.csv", rels, [["Project", f"P-{n}", "Goal", f"G-{n}"] for n in range(len(keys))])
    return names


def load_hostile(backend, folder: Path) -> dict[str, str]:
    backend.clear()
    names = hostile_portfolio(folder)
    load_files(backend, [folder], strict=False)
    for node_id, text in RAW_NAMES.items():
        backend.write("MATCH (c:Chain {id: 'C-H'}) CREATE (p:Project {id: $id, name: $name, status: '在建'})-[:IN_CHAIN]->(c)",
                      {"id": node_id, "name": text})
    return {**names, **RAW_NAMES}


def load_dongcheng(backend, templates: bool = False, schedule: bool = False) -> None:
    """The sample; with ``templates`` the built-in chain templates applied and with ``schedule`` the
    synthetic 2023 plan and progress reports loaded, as the demo does."""
    load_sample(backend, replace=True)  # the test graphs are ours to replace
    if schedule:
        load_schedule_sample(backend)
    if templates:
        from portfolio_graph.chains.apply import apply_covered
        from portfolio_graph.chains.registry import load_templates

        apply_covered(backend, load_templates())
