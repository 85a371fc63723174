"""The benchmark's data generator (bench/generate.py) at a tiny scale: same bytes every run, and
the DEPENDS_ON relationships between projects form a DAG. No timings here."""

from __future__ import annotations

import csv
import sys
from collections import defaultdict, deque
from dataclasses import replace
from pathlib import Path

import pytest

BENCH_DIR = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH_DIR))

import generate  # noqa: E402


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    first = tmp_path_factory.mktemp("first")
    second = tmp_path_factory.mktemp("second")
    return generate.generate(first, generate.TINY), generate.generate(second, generate.TINY), first


def test_same_seed_same_bytes(tiny):
    one, two, _ = tiny
    assert [(f["file"], f["rows"], f["sha256"]) for f in one["files"]] == \
           [(f["file"], f["rows"], f["sha256"]) for f in two["files"]]
    assert one["sample"] == two["sample"]


def test_another_seed_other_data(tiny, tmp_path):
    one, _, _ = tiny
    other = generate.generate(tmp_path, replace(generate.TINY, seed=7, xlsx=False))
    sha = {f["file"]: f["sha256"] for f in one["files"]}
    assert next(f for f in other["files"] if f["file"] == "企业名录.csv")["sha256"] != sha["企业名录.csv"]


def test_every_scale_has_50_chains_of_8_segments(tiny):
    _, _, folder = tiny
    for scale in generate.SCALES.values():
        assert (scale.chains, scale.segments_per_chain) == (50, 8)
    with (folder / "产业链环节.csv").open(encoding="utf-8") as handle:
        segments = list(csv.DictReader(handle))
    assert len(segments) == 400
    assert len({s["环节名称"] for s in segments}) == 400  # names are unique, so link columns resolve


def test_depends_on_is_acyclic(tiny):
    _, _, folder = tiny
    edges: dict[str, set[str]] = defaultdict(set)
    nodes: set[str] = set()
    with (folder / "关系_项目依赖.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["起点类型"] == "项目" and row["终点类型"] == "项目":
                edges[row["起点编号"]].add(row["终点编号"])
                nodes |= {row["起点编号"], row["终点编号"]}
    assert edges, "the tiny scale should still have project dependencies"
    indegree = {n: 0 for n in nodes}
    for targets in edges.values():
        for t in targets:
            indegree[t] += 1
    queue = deque(n for n, d in indegree.items() if d == 0)
    seen = 0
    while queue:
        node = queue.popleft()
        seen += 1
        for t in edges.get(node, ()):
            indegree[t] -= 1
            if indegree[t] == 0:
                queue.append(t)
    assert seen == len(nodes), "DEPENDS_ON between projects has a cycle"


def test_uscc_check_digits_and_uniqueness(tiny):
    _, _, folder = tiny
    with (folder / "企业名录.csv").open(encoding="utf-8") as handle:
        codes = [row["统一社会信用代码"] for row in csv.DictReader(handle)]
    assert len(set(codes)) == len(codes)
    assert all(len(c) == 18 and generate.uscc_check_char(c[:17]) == c[17] for c in codes)
