"""One load: files in, every problem found, the diff against the graph, one all-or-nothing write.

    read -> map -> records -> validate/resolve -> diff -> GraphBatch -> backend.upsert (once)
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import time
from pathlib import Path
from typing import Any, Callable, Iterable

from ..graph import Backend, GraphBatch, RelRow
from ..graph.schema import KEY
from .change_log import add_change_records
from .diff import (Change, current_links, existing_nodes, existing_rels, field_changes,
                   same_source_nodes)
from .gcpause import paused_gc
from .mapping import NODE, Mapping, infer_target, load_mapping, looks_like_header, plan_columns
from .normalize import CellError, check_text
from .problems import LoadRejected, Problem
from .progress import Progress
from .read import SUPPORTED_SUFFIXES, read_tables, sha256_of
from .records import NodeRecord, RelRecord, node_records, rel_records
from .resolve import resolve
from .result import LoadResult
from .schedule_rows import SCHEDULE_LABELS, check_ytd, finish_records, replaced_progress
from .validate import check_duplicates, check_rels

PathLike = str | os.PathLike[str]


def expand(paths: Iterable[PathLike], problems: list[Problem]) -> list[tuple[Path, str | None]]:
    """Files to read, each with its folder's name where a folder was given (the default source)."""
    files: list[tuple[Path, str | None]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            parts = [path / "nodes", path / "rels"]
            folders = [p for p in parts if p.is_dir()] or [path]
            found = [f for folder in folders for f in sorted(folder.iterdir())
                     if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES]
            if not found:
                problems.append(Problem(path, message="no .csv, .xlsx or .json files in this folder",
                                        fix="give the files, or a folder with nodes/ and rels/"))
            files += [(f, path.resolve().name) for f in found]
        elif path.is_file():
            files.append((path, None))
        else:
            problems.append(Problem(path, message="no such file or folder"))
    return files


def load_files(
    backend: Backend,
    paths: Iterable[PathLike],
    *,
    label: str | None = None,
    mapping: PathLike | Mapping | None = None,
    dry_run: bool = False,
    source: str | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    strict: bool = False,
    create_missing: bool = False,
    prune: bool = False,
    progress: bool = False,
    on_progress: Callable[[int], None] | None = None,
) -> LoadResult:
    """Load files (CSV, xlsx, JSON/JSONL, or folders of them) as one all-or-nothing write.

    Raises ``LoadRejected`` listing every problem, with nothing written, when any file has one.
    """
    # A load builds millions of objects with no reference cycles among them (records, changes,
    # batch rows); the collector's full passes over them were a third of the CPU (see gcpause).
    with paused_gc():
        return _load_files(backend, paths, label=label, mapping=mapping, dry_run=dry_run, source=source,
                           encoding=encoding, sheet=sheet, strict=strict, create_missing=create_missing,
                           prune=prune, progress=progress, on_progress=on_progress)


def _load_files(
    backend: Backend,
    paths: Iterable[PathLike],
    *,
    label: str | None,
    mapping: PathLike | Mapping | None,
    dry_run: bool,
    source: str | None,
    encoding: str | None,
    sheet: str | None,
    strict: bool,
    create_missing: bool,
    prune: bool,
    progress: bool,
    on_progress: Callable[[int], None] | None,
) -> LoadResult:
    started = time.perf_counter()
    problems: list[Problem] = []
    plan_mapping = mapping if isinstance(mapping, Mapping) else (
        load_mapping(Path(mapping), problems) if mapping else Mapping())
    files = expand(paths, problems)
    _check_names(source, plan_mapping, files, mapping, problems)
    shas: dict[Path, str] = {}
    nodes: list[NodeRecord] = []
    rels: list[RelRecord] = []
    sources: dict[str, None] = {}
    meter = Progress(enabled=progress, callback=on_progress)
    with meter:
        for path, folder in files:
            shas[path] = sha256_of(path)
            tables = read_tables(path, problems, encoding=encoding, sheet=sheet,
                                 header_row=plan_mapping.header_row, is_header=looks_like_header)
            for table in tables:
                table_mapping = plan_mapping.for_sheet(table.sheet)
                errors_before = sum(p.is_error for p in problems)
                target = infer_target(table, label or table_mapping.label, problems)
                if target is None:
                    continue
                plan = plan_columns(table, target[0], target[1], table_mapping, strict, problems)
                if sum(p.is_error for p in problems) > errors_before:
                    continue  # missing or clashing columns: every row would repeat the same problem
                table_source = source or table_mapping.source or folder or path.name
                sources.setdefault(table_source, None)
                if plan.kind == NODE:
                    table_nodes = list(node_records(table, plan, problems, meter.tick))
                    if plan.name in SCHEDULE_LABELS:
                        finish_records(table, plan, table_nodes, problems)
                    for record in table_nodes:
                        record.props.setdefault("source", table_source)
                        nodes.append(record)
                else:
                    for rel in rel_records(table, plan, problems, meter.tick):
                        rel.props.setdefault("source", table_source)
                        rels.append(rel)
    main_source = next(iter(sources), source or "load")
    check_duplicates(nodes, problems)
    check_ytd(backend, nodes, problems, strict)
    resolved = resolve(nodes, rels, backend, create_missing, problems, main_source)
    rel_rows = check_rels(resolved.rels, problems)
    if any(p.is_error for p in problems):
        order = {str(path): index for index, (path, _) in enumerate(files)}
        problems.sort(key=lambda p: (order.get(str(p.file), -1), p.sheet or "", p.row or 0,
                                     _column_key(p.column)))
        raise LoadRejected(problems)

    now = _dt.datetime.now(_dt.timezone.utc)
    sha = _combined_sha(shas)
    load_id = f"load-{now:%Y%m%dT%H%M%S%f}-{sha[:8]}"
    batch = GraphBatch()
    changes: list[Change] = []
    unchanged_by_label: dict[str, int] = {}

    def provenance(pos: Any) -> dict[str, Any]:
        # source_sheet is always set, None for sheetless formats, so a row that moved from a
        # workbook to a CSV does not keep its old sheet.
        return {"load_id": load_id, "source_file": str(pos.file), "source_sha256": shas[pos.file],
                "source_sheet": pos.sheet, "source_row": pos.row}

    by_label: dict[str, list[NodeRecord]] = {}
    # Nodes this load creates: a relationship touching one cannot exist yet, so the diff does not
    # ask the graph about it (on a first load that is every relationship), and both are CREATEd.
    new_ids: dict[str, set[str]] = {}
    for record in nodes:
        by_label.setdefault(record.label, []).append(record)
    for node_label, records in by_label.items():
        old_nodes = existing_nodes(backend, node_label, [r.props[KEY] for r in records])
        for record in records:
            node_id = record.props[KEY]
            old = old_nodes.get(node_id)
            if old is None:
                new_ids.setdefault(node_label, set()).add(node_id)
                changes.append(Change("added", "node", node_label, node_id, record.props.get("name")))
                batch.add_node(node_label, {**record.props, **provenance(record.pos)}, new=True)
                continue
            # A stated row replaces a stub an earlier --create-missing made: its inferred flag goes.
            diff = field_changes(old, record.props, record.covered | {"inferred", "inferred_reason"})
            if not diff:
                unchanged_by_label[node_label] = unchanged_by_label.get(node_label, 0) + 1
                continue
            changes.append(Change("changed", "node", node_label, node_id, record.props.get("name"), diff))
            cleared = {name: None for name, _, new in diff if new is None}
            batch.add_node(node_label, {**record.props, **cleared, **provenance(record.pos)})
        loaded = {r.props[KEY] for r in records}
        # A month of progress reports loaded again replaces the month whole: its absent rows go.
        replace = node_label == "Progress"
        stale = replaced_progress(backend, records) if replace else {
            i: n for i, n in same_source_nodes(backend, node_label, list(sources)).items() if i not in loaded}
        for node_id, name in sorted(stale.items()):
            changes.append(Change("pruned" if prune or replace else "missing", "node", node_label, node_id, name))
            if prune or replace:
                batch.delete_node(node_label, node_id)
    for (stub_label, _), props in resolved.stubs.items():
        new_ids.setdefault(stub_label, set()).add(props[KEY])
        changes.append(Change("added", "node", stub_label, props[KEY], props["name"],
                              [("inferred", None, True)]))
        batch.add_node(stub_label, {**props, "load_id": load_id}, new=True)

    groups: dict[tuple[str, str, str], list[Any]] = {}
    for rel in rel_rows:
        groups.setdefault((rel[0], rel[1], rel[3]), []).append(rel)
    for (rel_type, from_label, to_label), group in groups.items():
        new_from, new_to = new_ids.get(from_label, set()), new_ids.get(to_label, set())
        known = [(r[2], r[4]) for r in group if r[2] not in new_from and r[4] not in new_to]
        old_rels = existing_rels(backend, rel_type, from_label, to_label, known) if known else {}
        for _, _, from_id, _, to_id, props, pos in group:
            props = {**props, "source": props.get("source") or main_source}
            old = old_rels.get((from_id, to_id))
            rel_id = f"{from_id} -> {to_id}"
            if old is None:
                changes.append(Change("added", "relationship", rel_type, rel_id))
            else:
                diff = field_changes(old, props, ())
                if not diff:
                    unchanged_by_label[rel_type] = unchanged_by_label.get(rel_type, 0) + 1
                    continue
                changes.append(Change("changed", "relationship", rel_type, rel_id, None, diff))
            batch.add_rel(rel_type, RelRow(from_label, from_id, to_label, to_id, {**props, **provenance(pos)}),
                          new=from_id in new_from or to_id in new_to)

    replaced_scopes: dict[tuple[str, str, str], dict[str, set[str]]] = {}
    for (rel_type, from_label, from_id, to_label), targets in resolved.link_scopes.items():
        replaced_scopes.setdefault((rel_type, from_label, to_label), {})[from_id] = targets
    for (rel_type, from_label, to_label), stated in replaced_scopes.items():
        new_from = new_ids.get(from_label, set())
        known_from = [from_id for from_id in stated if from_id not in new_from]
        now_linked = current_links(backend, rel_type, from_label, to_label, known_from) if known_from else {}
        for from_id, old_targets in sorted(now_linked.items()):
            for to_id in sorted(old_targets - stated[from_id]):
                changes.append(Change("removed", "relationship", rel_type, f"{from_id} -> {to_id}"))
                batch.delete_rel(rel_type, RelRow(from_label, from_id, to_label, to_id))

    rows = len(nodes) + len(rels)
    result = LoadResult(load_id, [str(p) for p in shas], sha, list(sources), rows, changes,
                        sum(unchanged_by_label.values()), [p for p in problems if not p.is_error], dry_run,
                        0.0, None, unchanged_by_label)
    if not dry_run:
        counts = result.counts
        add_change_records(batch, changes, load_id, now.isoformat(timespec="seconds"))
        batch.add_node("Load", {
            KEY: load_id, "name": ", ".join(Path(f).name for f in result.files) or load_id,
            "file": "; ".join(result.files), "sha256": sha, "loaded_at": now.isoformat(timespec="seconds"),
            "rows": rows, "added": counts.added, "changed": counts.changed, "unchanged": counts.unchanged,
            "missing": counts.missing, "pruned": counts.pruned, "removed": counts.removed,
            "source": ", ".join(sources),
        })
        with meter.status(f"writing {batch.node_count:,} nodes and {batch.rel_count:,} relationships"):
            result.written = backend.upsert(batch)
    result.seconds = time.perf_counter() - started
    return result


def _check_names(source: str | None, plan_mapping: Mapping, files: list[tuple[Path, str | None]],
                 mapping: PathLike | Mapping | None, problems: list[Problem]) -> None:
    """Text that is stored on every node like a cell is checked like one, before anything is read.

    --source and a mapping's source become the ``source`` of every node; the file's path becomes
    ``source_file`` and, by default, the source. A NUL byte used to pass here and then fail
    FalkorDB's write (exit 1) while Neo4j stored it; a file name with bytes that are not UTF-8
    (Python keeps them as surrogates) failed both engines' writes with an unlocated message.
    """
    where = Path(mapping) if isinstance(mapping, (str, os.PathLike)) else "--mapping"
    named = [("--source", source), (where, plan_mapping.source)]
    named += [(where, sub.source) for sub in plan_mapping.sheets.values()]
    for origin, text in named:
        if text is None:
            continue
        try:
            check_text(text)
        except CellError as exc:
            problems.append(Problem(origin, message=f"source {text!r:.60}: {exc}", fix="give a source name without it"))
    for path, _ in files:
        try:
            str(path.resolve()).encode("utf-8")
        except UnicodeEncodeError:
            problems.append(Problem(path, message=f"the file's path {str(path)!r:.200} is not valid UTF-8 text",
                                    fix="rename the file (or its folder) with a UTF-8 name"))


def _column_key(column: str | None) -> tuple[int, str]:
    letters = (column or "").split(" ")[0]
    return len(letters), letters  # B before AA, as a spreadsheet orders them


def _combined_sha(shas: dict[Path, str]) -> str:
    if len(shas) == 1:
        return next(iter(shas.values()))
    digest = hashlib.sha256()
    for path, sha in sorted((p.name, s) for p, s in shas.items()):
        digest.update(f"{path}:{sha}\n".encode())
    return digest.hexdigest()
