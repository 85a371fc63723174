"""The engines' own load paths, one per run of this script, for ``run.py`` to time:

    python bench/paths.py METHOD --data DIR (--db DIR | --uri URI) [--batch N] [--out FILE]

METHOD:
  falkordb-unwind   UNWIND $rows ... CREATE, large batches straight through the falkordb client
  falkordb-bulk-csv write the CSV files falkordb-bulk-loader reads (its input format differs)
  falkordb-per-row  one query per node or relationship (MERGE), the lower anchor
  neo4j-unwind      UNWIND $rows ... CREATE, large batches, one execute_write per batch
  neo4j-load-csv    LOAD CSV WITH HEADERS ... CALL { ... } IN TRANSACTIONS, from the steward files
  neo4j-per-row     one transaction per node or relationship (MERGE), as py2neo-era code did
  backend-upsert    the project's own Backend.upsert(GraphBatch) with the same rows (no loader):
                    isolates the write path from the loader's reading, checking and diffing

Each prints one JSON line with its phases' seconds. Indexes (Neo4j: key constraints) on the key
of every label are created first, as every fast import does.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path
from typing import Any, Callable, Iterator

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reference import LINK_COLUMNS, NODE_COLUMNS, NODE_ORDER, read_dataset, segment_rel_type  # noqa: E402

GRAPH_NAME = "portfolio"


def chunks(rows: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def node_cypher(label: str) -> str:
    return f"UNWIND $rows AS row CREATE (n:`{label}`) SET n += row"


def rel_cypher(rel_type: str, from_label: str, to_label: str) -> str:
    return (f"UNWIND $rows AS row MATCH (a:`{from_label}` {{id: row[0]}}) MATCH (b:`{to_label}` {{id: row[1]}}) "
            f"CREATE (a)-[:`{rel_type}`]->(b)")


Write = Callable[..., Any]  # write(cypher, **params): one query, as the method sends it


def timed_writes(data_dir: Path, schema: Callable[[], None], write: Write, per_row: bool,
                 batch: int) -> dict[str, Any]:
    """Read the data set, then write it with ``write``: UNWIND batches of ``batch`` rows, or one
    MERGE per node and per relationship (``per_row``). The engines' methods differ only in how
    ``write`` reaches the engine and in ``schema`` (run first, inside the nodes phase), so the
    phases are timed alike for every one."""
    phases: dict[str, float] = {}
    t = time.perf_counter()
    data = read_dataset(data_dir)
    phases["read"] = time.perf_counter() - t
    t = time.perf_counter()
    schema()
    for label in NODE_ORDER:
        if per_row:
            cypher = f"MERGE (n:`{label}` {{id: $id}}) SET n += $props"
            for row in data.nodes[label]:
                write(cypher, id=row["id"], props={k: v for k, v in row.items() if k != "id"})
        else:
            for part in chunks(data.nodes[label], batch):
                write(node_cypher(label), rows=part)
    phases["nodes"] = time.perf_counter() - t
    t = time.perf_counter()
    for (rel_type, fl, tl), pairs in data.rels.items():
        if per_row:
            cypher = f"MATCH (a:`{fl}` {{id: $a}}) MATCH (b:`{tl}` {{id: $b}}) MERGE (a)-[:`{rel_type}`]->(b)"
            for a, b in pairs:
                write(cypher, a=a, b=b)
        else:
            for part in chunks(pairs, batch):
                write(rel_cypher(rel_type, fl, tl), rows=[list(p) for p in part])
    phases["rels"] = time.perf_counter() - t
    return {"phases": phases, "nodes": data.node_count, "rels": data.rel_count, "file_rows": data.file_rows}


# -- FalkorDB ---------------------------------------------------------------------------------------

def _falkordb(db: Path) -> tuple[Any, Any, Any]:
    from falkordb import FalkorDB
    from portfolio_graph.graph.embedded_server import attach

    lease = attach(db)
    client = FalkorDB(unix_socket_path=str(lease.socket_path))
    return lease, client, client.select_graph(GRAPH_NAME)


def _falkordb_writes(args: argparse.Namespace, per_row: bool) -> dict[str, Any]:
    lease, client, graph = _falkordb(args.db)

    def schema() -> None:
        for label in NODE_ORDER:
            graph.query(f"CREATE INDEX FOR (n:`{label}`) ON (n.id)")

    result = timed_writes(args.data, schema, lambda cypher, **params: graph.query(cypher, params),
                          per_row=per_row, batch=args.batch)
    client.connection.close()
    lease.release()
    return result


def falkordb_unwind(args: argparse.Namespace) -> dict[str, Any]:
    return _falkordb_writes(args, per_row=False)


def falkordb_per_row(args: argparse.Namespace) -> dict[str, Any]:
    return _falkordb_writes(args, per_row=True)


BULK_TYPES = {"int": "INT", "float": "DOUBLE", "string": "STRING", "date": "STRING", "list[string]": "ARRAY"}


def falkordb_bulk_csv(args: argparse.Namespace) -> dict[str, Any]:
    """The bulk loader's own input: one file per label (typed header, ID namespace = label) and
    one per (type, from label, to label). Writes ``bulk_args.json`` with its command line."""
    from portfolio_graph.graph.schema import SCHEMA

    out = args.out_dir
    out.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    data = read_dataset(args.data)
    read_s = time.perf_counter() - t
    t = time.perf_counter()
    cli: list[str] = []
    for label in NODE_ORDER:
        props = [prop for _, prop, _ in NODE_COLUMNS[label][1]]
        header = [f"id:ID({label})"] + [
            f"{p}:{BULK_TYPES[SCHEMA.label(label).property(p).type]}" for p in props if p != "id"]
        path = out / f"{label}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            for row in data.nodes[label]:
                cells = [row["id"]]
                for p in props[1:]:
                    value = row.get(p)
                    if value is None:
                        cells.append("")
                    elif isinstance(value, list):
                        cells.append(repr(value))
                    else:
                        cells.append(value)
                writer.writerow(cells)
        cli += ["-N", label, str(path)]
    for (rel_type, fl, tl), pairs in data.rels.items():
        path = out / f"{rel_type}__{fl}__{tl}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow([f":START_ID({fl})", f":END_ID({tl})"])
            writer.writerows(pairs)
        cli += ["-R", rel_type, str(path)]
    for label in NODE_ORDER:
        cli += ["-i", f"{label}:id"]
    (out / "bulk_args.json").write_text(json.dumps(cli, ensure_ascii=False))
    return {"phases": {"read": read_s, "write_bulk_csv": time.perf_counter() - t},
            "nodes": data.node_count, "rels": data.rel_count, "file_rows": data.file_rows}


# -- Neo4j ------------------------------------------------------------------------------------------

def _neo4j(uri: str) -> Any:
    import neo4j

    driver = neo4j.GraphDatabase.driver(uri, auth=None)
    driver.verify_connectivity()
    return driver


def _neo4j_constraints(driver: Any) -> None:
    with driver.session() as session:
        for label in NODE_ORDER:
            session.run(f"CREATE CONSTRAINT `{label}_id_bench` IF NOT EXISTS FOR (n:`{label}`) REQUIRE n.id IS UNIQUE").consume()
        session.run("CALL db.awaitIndexes(300)").consume()


def neo4j_unwind(args: argparse.Namespace) -> dict[str, Any]:
    driver = _neo4j(args.uri)

    def write(cypher: str, **params: Any) -> None:
        with driver.session() as session:  # a session per batch: one execute_write each
            session.execute_write(lambda tx: tx.run(cypher, **params).consume())

    result = timed_writes(args.data, lambda: _neo4j_constraints(driver), write, per_row=False, batch=args.batch)
    driver.close()
    return result


def neo4j_per_row(args: argparse.Namespace) -> dict[str, Any]:
    driver = _neo4j(args.uri)
    # One session throughout, as per-row code kept it; it takes a connection at its first query.
    with driver.session() as session:
        def write(cypher: str, **params: Any) -> None:
            session.execute_write(lambda tx: tx.run(cypher, **params).consume())

        result = timed_writes(args.data, lambda: _neo4j_constraints(driver), write, per_row=True,
                              batch=args.batch)
    driver.close()
    return result


def _load_csv_statements(data_dir: Path) -> list[tuple[str, str]]:
    """(what, Cypher) for LOAD CSV over the steward files as they are, Chinese headers and all."""
    from reference import LABEL_WORDS, REL_FILES, REL_WORDS

    def url(name: str) -> str:
        return (data_dir / name).resolve().as_uri()

    conv = {"int": "toInteger({})", "float": "toFloat({})", "string": "{}", "date": "{}",
            "list[string]": "[x IN split({}, '、') WHERE x <> '']"}
    from portfolio_graph.graph.schema import SCHEMA

    tx = "IN TRANSACTIONS OF 10000 ROWS"
    statements = []
    for label in NODE_ORDER:
        file_name, columns = NODE_COLUMNS[label]
        sets = ", ".join(
            f"n.`{prop}` = " + conv[SCHEMA.label(label).property(prop).type].format(f"row.`{header}`")
            for header, prop, _ in columns if prop != "id")
        key = next(h for h, p, _ in columns if p == "id")
        statements.append((f"nodes {label}",
                           f"LOAD CSV WITH HEADERS FROM '{url(file_name)}' AS row "
                           f"CALL {{ WITH row CREATE (n:`{label}` {{id: row.`{key}`}}) SET {sets} }} {tx}"))
    segment_type = segment_rel_type()
    for label, links in LINK_COLUMNS.items():
        file_name, columns = NODE_COLUMNS[label]
        key = next(h for h, p, _ in columns if p == "id")
        for header, rel_type, target, how in links:
            rel_type = segment_type if rel_type == "@segment" else rel_type
            prop = "id" if how == "id" else "name"
            statements.append((f"{rel_type} {label}->{target} ({header})",
                               f"LOAD CSV WITH HEADERS FROM '{url(file_name)}' AS row "
                               f"CALL {{ WITH row WITH row WHERE row.`{header}` IS NOT NULL "
                               f"MATCH (a:`{label}` {{id: row.`{key}`}}) MATCH (b:`{target}` {{{prop}: row.`{header}`}}) "
                               f"CREATE (a)-[:`{rel_type}`]->(b) }} {tx}"))
    for file_name in REL_FILES:
        combos: set[tuple[str, str, str]] = set()
        with (data_dir / file_name).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                combos.add((row["关系类型"], row["起点类型"], row["终点类型"]))
        for type_word, from_word, to_word in sorted(combos):
            rel_type, fl, tl = REL_WORDS[type_word], LABEL_WORDS[from_word], LABEL_WORDS[to_word]
            statements.append((f"{rel_type} {fl}->{tl} ({file_name})",
                               f"LOAD CSV WITH HEADERS FROM '{url(file_name)}' AS row "
                               f"CALL {{ WITH row WITH row WHERE row.`关系类型` = '{type_word}' "
                               f"AND row.`起点类型` = '{from_word}' AND row.`终点类型` = '{to_word}' "
                               f"MATCH (a:`{fl}` {{id: row.`起点编号`}}) MATCH (b:`{tl}` {{id: row.`终点编号`}}) "
                               f"CREATE (a)-[:`{rel_type}`]->(b) }} {tx}"))
    return statements


def neo4j_load_csv(args: argparse.Namespace) -> dict[str, Any]:
    driver = _neo4j(args.uri)
    phases: dict[str, float] = {}
    t = time.perf_counter()
    _neo4j_constraints(driver)
    with driver.session() as session:
        # Name lookups for the link columns (所属片区, 建设单位, ...) need the name indexes the
        # project's schema also declares.
        for label in ("Area", "Enterprise", "Chain", "ChainSegment"):
            session.run(f"CREATE INDEX `{label}_name_bench` IF NOT EXISTS FOR (n:`{label}`) ON (n.name)").consume()
        session.run("CALL db.awaitIndexes(300)").consume()
        phases["schema"] = time.perf_counter() - t
        for what, cypher in _load_csv_statements(args.data):
            t = time.perf_counter()
            session.run(cypher).consume()
            phases[what] = time.perf_counter() - t
    driver.close()
    return {"phases": phases}


# -- the project's own write path, without the loader -------------------------------------------------

def backend_upsert(args: argparse.Namespace) -> dict[str, Any]:
    from portfolio_graph.graph import SCHEMA, GraphBatch, RelRow, open_backend

    phases: dict[str, float] = {}
    backend = open_backend(db=args.db) if args.db else open_backend(uri=args.uri)
    backend.apply_schema(SCHEMA)
    t = time.perf_counter()
    data = read_dataset(args.data)
    phases["read"] = time.perf_counter() - t
    t = time.perf_counter()
    batch = GraphBatch()
    for label in NODE_ORDER:
        for row in data.nodes[label]:
            batch.add_node(label, row)
    for (rel_type, fl, tl), pairs in data.rels.items():
        for a, b in pairs:
            batch.add_rel(rel_type, RelRow(fl, a, tl, b))
    phases["batch"] = time.perf_counter() - t
    t = time.perf_counter()
    backend.upsert(batch)
    phases["upsert"] = time.perf_counter() - t
    backend.close()
    return {"phases": phases, "nodes": data.node_count, "rels": data.rel_count, "file_rows": data.file_rows}


METHODS = {
    "falkordb-unwind": falkordb_unwind,
    "falkordb-bulk-csv": falkordb_bulk_csv,
    "falkordb-per-row": falkordb_per_row,
    "neo4j-unwind": neo4j_unwind,
    "neo4j-load-csv": neo4j_load_csv,
    "neo4j-per-row": neo4j_per_row,
    "backend-upsert": backend_upsert,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("method", choices=sorted(METHODS))
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--uri")
    parser.add_argument("--batch", type=int, default=20_000)
    parser.add_argument("--out-dir", type=Path, help="falkordb-bulk-csv: where to write the files")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    result = METHODS[args.method](args)
    result["inner_s"] = time.perf_counter() - started
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
