"""A digest of a graph's content, to show that a change to the loader builds the same graph.

    .venv/bin/python bench/generate.py --scale S
    .venv/bin/portfolio-graph --db /tmp/s.db load bench/data/S/*.csv --show 0
    .venv/bin/python bench/digest.py --db /tmp/s.db

Every node (label, properties) and relationship (type, ends, properties) goes in, sorted, except
what differs from one load to the next by design: the Load nodes, ``load_id`` and the time stamps.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from portfolio_graph.graph import open_backend  # noqa: E402

PER_LOAD = {"load_id", "loaded_at"}


def _clean(props: dict) -> str:
    return json.dumps({k: v for k, v in props.items() if k not in PER_LOAD}, sort_keys=True, ensure_ascii=False)


def graph_digest(backend) -> tuple[str, int, int]:
    nodes = sorted(
        f"{row['label']}|{_clean(row['props'])}"
        for row in backend.read("MATCH (n) WHERE NOT n:Load RETURN labels(n)[0] AS label, properties(n) AS props"))
    rels = sorted(
        f"{row['type']}|{row['f']}|{row['t']}|{_clean(row['props'])}"
        for row in backend.read("MATCH (a)-[r]->(b) RETURN type(r) AS type, a.id AS f, b.id AS t, "
                                "properties(r) AS props"))
    digest = hashlib.sha256("\n".join(nodes + ["--"] + rels).encode("utf-8")).hexdigest()
    return digest, len(nodes), len(rels)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="embedded database folder")
    parser.add_argument("--uri", help="Neo4j URI")
    args = parser.parse_args()
    backend = open_backend(db=args.db, uri=args.uri)
    try:
        digest, nodes, rels = graph_digest(backend)
    finally:
        backend.close()
    print(f"{digest}  {nodes} nodes, {rels} relationships")
    return 0


if __name__ == "__main__":
    sys.exit(main())
