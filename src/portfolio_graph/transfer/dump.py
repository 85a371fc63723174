"""``dump DIR`` and ``restore DIR``: the whole graph as CSV files in the loader's folder layout.

    DIR/nodes/<Label>.csv   id first, then every property the label's nodes carry
    DIR/rels/<TYPE>.csv     from_label, from_id, to_label, to_id, then the properties
    DIR/dump.json           what each column holds (string, int, float, bool, json), the counts
                            and the digest of the graph that was dumped

Provenance, the load history (``Load``), change records and the demo's mark are ordinary nodes
and properties here, so they travel too. A cell is empty where the property is absent; a column
whose values are not all of one plain type (lists, mixed types, empty strings) holds JSON. Floats
are written with ``repr`` and read back bit for bit. ``restore`` rebuilds the graph in one
all-or-nothing write and compares the result with the digest in ``dump.json``.
"""

from __future__ import annotations

import csv
import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

from ..graph import Backend, GraphBatch, RelRow
from ..graph.schema import KEY
from .graphread import Digest, Node, Rel, TransferError, walk
from .write import replace_graph

MANIFEST = "dump.json"
FORMAT = "portfolio-graph dump"
VERSION = 1
REL_ENDS = ["from_label", "from_id", "to_label", "to_id"]
LABELS_COLUMN = "_labels"  # only where a node has more than one label


def column_type(values: Iterable[Any]) -> str:
    kinds = set()
    for value in values:
        if isinstance(value, bool):
            kinds.add("bool")
        elif isinstance(value, int):
            kinds.add("int")
        elif isinstance(value, float):
            kinds.add("float")
        elif isinstance(value, str) and value != "":
            kinds.add("string")
        else:
            kinds.add("json")
    return kinds.pop() if len(kinds) == 1 else ("json" if kinds else "string")


def encode(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "json":
        return json.dumps(value, ensure_ascii=False)
    if kind == "bool":
        return "true" if value else "false"
    if kind == "float":
        return repr(value)
    return str(value)


def decode(cell: str, kind: str) -> Any:
    if cell == "":
        return None
    if kind == "json":
        return json.loads(cell)
    if kind == "bool":
        return cell == "true"
    if kind == "int":
        return int(cell)
    if kind == "float":
        return float(cell)
    return cell


def _write_csv(path: Path, header: list[str], rows: list[dict[str, Any]]) -> dict[str, str]:
    kinds = {col: column_type(r[col] for r in rows if r.get(col) is not None) for col in header}
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow([encode(row.get(col), kinds[col]) for col in header])
    return kinds


def dump(backend: Backend, folder: str | os.PathLike[str]) -> dict[str, Any]:
    """Write every node and relationship of ``backend`` under ``folder`` (which must be empty or
    new); returns the manifest written to ``dump.json``."""
    root = Path(folder)
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise TransferError(f"{root} is not an empty folder; dump writes into a new or empty folder")
    root.mkdir(parents=True, exist_ok=True)
    digest, files = Digest(), {}
    for kind, name, items in walk(backend):
        if kind == "node":
            nodes: list[Node] = items  # type: ignore[assignment]
            keys = sorted({k for n in nodes for k in n.props} - {KEY})
            multi = any(len(n.labels) > 1 for n in nodes)
            header = [KEY] + keys + ([LABELS_COLUMN] if multi else [])
            rows = [{**n.props, **({LABELS_COLUMN: list(n.labels)} if multi else {})} for n in nodes]
            relative = f"nodes/{name}.csv"
            for n in nodes:
                digest.add_node(n)
            files[relative] = {"label": name, "rows": len(rows), "columns": _write_csv(root / relative, header, rows)}
        else:
            rels: list[Rel] = items  # type: ignore[assignment]
            keys = sorted({k for r in rels for k in r.props})
            rows = [{"from_label": r.from_label, "from_id": r.from_id, "to_label": r.to_label, "to_id": r.to_id,
                     **r.props} for r in rels]
            relative = f"rels/{name}.csv"
            for r in rels:
                digest.add_rel(r)
            files[relative] = {"type": name, "rows": len(rows),
                               "columns": _write_csv(root / relative, REL_ENDS + keys, rows)}
    manifest = {"format": FORMAT, "version": VERSION, "engine": backend.name, "source": backend.location,
                "dumped_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "files": files, "digest": digest.to_dict()}
    (root / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest


def read_manifest(root: Path) -> dict[str, Any]:
    path = root / MANIFEST
    if not path.is_file():
        raise TransferError(f"{root} has no {MANIFEST}: it is not a portfolio-graph dump. Stewards' files "
                            "are read with: portfolio-graph load DIR")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise TransferError(f"{path}: cannot be read as a dump manifest: {exc}") from None
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise TransferError(f"{path}: not a version-{VERSION} portfolio-graph dump "
                            f"(format {manifest.get('format')!r}, version {manifest.get('version')!r})")
    return manifest


def _rows(path: Path, kinds: dict[str, str]) -> Iterable[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        if set(header) != set(kinds):
            raise TransferError(f"{path}: its columns {header} are not the ones dump.json lists {sorted(kinds)}")
        for number, cells in enumerate(reader, start=2):
            try:
                values = {col: decode(cell, kinds[col]) for col, cell in zip(header, cells)}
            except ValueError as exc:
                raise TransferError(f"{path} row {number}: {exc}; the file was changed after the dump") from None
            yield number, {k: v for k, v in values.items() if v is not None}


def read_dump(folder: str | os.PathLike[str]) -> tuple[GraphBatch, dict[str, Any]]:
    """The dump as one batch of nodes and relationships to create, and its manifest."""
    root = Path(folder)
    manifest = read_manifest(root)
    batch = GraphBatch()
    for relative, info in manifest["files"].items():
        path = root / relative
        if not path.is_file():
            raise TransferError(f"{path}: missing; dump.json lists it")
        for _, row in _rows(path, info["columns"]):
            if "label" in info:
                row.pop(LABELS_COLUMN, None)
                batch.add_node(info["label"], row, new=True)
            else:
                ends = [row.pop(k, None) for k in REL_ENDS]
                batch.add_rel(info["type"], RelRow(*ends, row), new=True)
    return batch, manifest


def restore(backend: Backend, folder: str | os.PathLike[str], *, replace: bool = False) -> dict[str, Any]:
    """Rebuild the dumped graph in ``backend``: all or nothing, then checked against the dump's
    digest. A graph that holds anything needs ``replace``. Returns the digest written."""
    batch, manifest = read_dump(folder)
    return replace_graph(backend, batch, manifest["digest"], replace=replace, action="restore",
                         source=f"the dump in {folder}")
