"""One load: files in, every problem found, the diff against the graph, one all-or-nothing write.

The steps, in order; ``run_load`` calls them top to bottom:

    read            files -> tables -> typed records (loaders/read, mapping, records)
    check           duplicates, references, endpoints; any error -> LoadRejected, nothing written
    diff nodes      added / changed / unchanged; missing or pruned        (loaders/diff)
    diff links      relationships added / changed / unchanged             (loaders/diff)
    replaced links  links a row's cell no longer lists are removed        (loaders/diff)
    record          the history of this load, into the same batch: its field changes, the Load node
    write           backend.upsert(batch), once: all or nothing

A dry run stops before "record". Whatever else a load should remember about itself (a record
per changed field, say) belongs in ``record``: it sees the result and the batch, and what it adds
commits with the data or not at all.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import hashlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from ..graph import Backend, GraphBatch
from ..graph.schema import KEY
from ..i18n import _
from .change_log import add_change_records
from .diff import Diff, diff_links, diff_nodes, replaced_links
from .gcpause import paused_gc
from .interrupts import committed_anyway, held_interrupts, uncertain
from .lookalike import lookalike_warnings
from .mapping import NODE, LoadMapping, infer_target, load_mapping, looks_like_header, plan_columns
from .normalize import CellError, check_text
from .problems import LoadRejected, Problem
from .progress import Progress
from .read import SUPPORTED_SUFFIXES, read_tables, sha256_of
from .records import NodeRecord, Pos, RelRecord, node_records, rel_records
from .resolve import Resolved, resolve
from .result import LoadResult
from .schedule_rows import SCHEDULE_LABELS, check_ytd, finish_records
from .validate import check_duplicates, check_rels

PathLike = str | os.PathLike[str]


@dataclass(frozen=True)
class LoadOptions:
    """How to load: every option of ``load_files`` (and of the ``load`` command)."""

    label: str | None = None  # label or relationship type of every table (default: inferred)
    mapping: PathLike | LoadMapping | None = None  # a YAML mapping file, or a LoadMapping
    dry_run: bool = False  # check and diff; write nothing
    source: str | None = None  # the source recorded on every node (default: file or folder name)
    encoding: str | None = None  # of CSV/JSON files (default: detected)
    sheet: str | None = None  # only this sheet of a workbook
    strict: bool = False  # unknown columns are errors, not warnings
    create_missing: bool = False  # stub nodes for names found nowhere
    prune: bool = False  # delete nodes of the same source this load no longer lists
    progress: bool = False  # a progress line on standard error
    on_progress: Callable[[int], None] | None = None  # called with the rows read so far


@dataclass
class ReadFiles:
    """What the read step found: the records, where they came from, and the problems so far."""

    files: list[tuple[Path, str | None]]  # each file, with its folder's name where a folder was given
    problems: list[Problem]
    nodes: list[NodeRecord] = field(default_factory=list)
    rels: list[RelRecord] = field(default_factory=list)
    sources: dict[str, None] = field(default_factory=dict)  # in the order first met
    shas: dict[Path, str] = field(default_factory=dict)
    main_source: str = "load"  # the first table's source: given to stubs and to links without one
    encodings: dict[str, str] = field(default_factory=dict)  # each text file's encoding, as read


@dataclass(frozen=True)
class Stamp:
    """This load's identity, written on everything it writes."""

    load_id: str
    sha256: str
    at: _dt.datetime
    shas: dict[Path, str]

    @classmethod
    def of(cls, shas: dict[Path, str]) -> "Stamp":
        now = _dt.datetime.now(_dt.timezone.utc)
        sha = _combined_sha(shas)
        return cls(f"load-{now:%Y%m%dT%H%M%S%f}-{sha[:8]}", sha, now, shas)

    def provenance(self, pos: Pos) -> dict[str, Any]:
        # source_sheet is always set, None for sheetless formats, so a row that moved from a
        # workbook to a CSV does not keep its old sheet.
        return {"load_id": self.load_id, "source_file": str(pos.file), "source_sha256": self.shas[pos.file],
                "source_sheet": pos.sheet, "source_row": pos.row}


def load_files(backend: Backend, paths: Iterable[PathLike], options: LoadOptions | None = None,
               **settings: Any) -> LoadResult:
    """Load files (CSV, xlsx, JSON/JSONL, or folders of them) as one all-or-nothing write.

    ``options`` or keyword ``settings`` (the fields of ``LoadOptions``: ``dry_run=True``, ...;
    keywords override the options). Raises ``LoadRejected`` listing every problem, with nothing
    written, when any file has one.
    """
    options = dataclasses.replace(options or LoadOptions(), **settings)
    # A load builds millions of objects with no reference cycles among them (records, changes,
    # batch rows); the collector's full passes over them were a third of the CPU (see gcpause).
    with paused_gc():
        return run_load(backend, list(paths), options)


def run_load(backend: Backend, paths: list[PathLike], options: LoadOptions) -> LoadResult:
    """The steps of a load, in order (see the module docstring)."""
    started = time.perf_counter()
    meter = Progress(enabled=options.progress, callback=options.on_progress)
    with meter:
        read = read_files(paths, options, meter.tick)
    resolved = check(read, backend, options)
    stamp = Stamp.of(read.shas)
    diff = Diff()
    diff_nodes(backend, diff, read.nodes, resolved.stubs, list(read.sources), options.prune,
               stamp.provenance, stamp.load_id)
    warn_lookalikes(backend, diff, read)
    diff_links(backend, diff, resolved.rels, read.main_source, stamp.provenance)
    replaced_links(backend, diff, resolved.link_scopes)
    result = LoadResult(stamp.load_id, [str(p) for p in read.shas], stamp.sha256, list(read.sources),
                        len(read.nodes) + len(read.rels), diff.changes, sum(diff.unchanged_by_label.values()),
                        [p for p in read.problems if not p.is_error], options.dry_run, 0.0, None,
                        diff.unchanged_by_label, read.encodings)
    if not options.dry_run:
        record(diff.batch, result, stamp)
        # Held from here: once the write is sent, the graph's answer decides what to report.
        with held_interrupts() as caught:
            try:
                with meter.status(f"writing {diff.batch.node_count:,} nodes and {diff.batch.rel_count:,} relationships"):
                    result.written = backend.upsert(diff.batch)
            except KeyboardInterrupt:
                raise uncertain(stamp.load_id) from None
        if caught.signum is not None:
            raise committed_anyway(caught.signum, stamp.load_id)
    result.seconds = time.perf_counter() - started
    return result


def read_files(paths: list[PathLike], options: LoadOptions, tick: Callable[[int], None]) -> ReadFiles:
    """Every table of every file as typed records; bad cells are problems, their rows marked bad."""
    problems: list[Problem] = []
    mapping = options.mapping
    plan_mapping = mapping if isinstance(mapping, LoadMapping) else (
        load_mapping(Path(mapping), problems) if mapping else LoadMapping())
    read = ReadFiles(expand(paths, problems), problems)
    _check_names(options.source, plan_mapping, read.files, mapping, problems)
    for path, folder in read.files:
        try:
            read.shas[path] = sha256_of(path)
        except OSError as exc:
            problems.append(Problem(path, message=_("cannot read the file: {reason}").format(reason=exc.strerror or exc)))
            continue
        tables = read_tables(path, problems, encoding=options.encoding, sheet=options.sheet,
                             header_row=plan_mapping.header_row, is_header=looks_like_header)
        for table in tables:
            if table.encoding:
                read.encodings[str(path)] = table.encoding
            table_mapping = plan_mapping.for_sheet(table.sheet)
            errors_before = sum(p.is_error for p in problems)
            target = infer_target(table, options.label or table_mapping.label, problems)
            if target is None:
                continue
            plan = plan_columns(table, target[0], target[1], table_mapping, options.strict, problems)
            if sum(p.is_error for p in problems) > errors_before:
                continue  # missing or clashing columns: every row would repeat the same problem
            table_source = options.source or table_mapping.source or folder or path.name
            read.sources.setdefault(table_source, None)
            if plan.kind == NODE:
                table_nodes = list(node_records(table, plan, problems, tick))
                if plan.name in SCHEDULE_LABELS:
                    finish_records(table, plan, table_nodes, problems)
                for node in table_nodes:
                    node.props.setdefault("source", table_source)
                    read.nodes.append(node)
            else:
                for rel in rel_records(table, plan, problems, tick):
                    rel.props.setdefault("source", table_source)
                    read.rels.append(rel)
    read.main_source = next(iter(read.sources), options.source or "load")
    return read


def check(read: ReadFiles, backend: Backend, options: LoadOptions) -> Resolved:
    """Checks across rows and against the graph; raises ``LoadRejected`` with every problem, in
    file order, when there is any error."""
    problems = read.problems
    check_duplicates(read.nodes, problems)
    check_ytd(backend, read.nodes, problems, options.strict)
    resolved = resolve(read.nodes, read.rels, backend, options.create_missing, problems, read.main_source)
    resolved.rels = check_rels(resolved.rels, problems)
    if any(p.is_error for p in problems):
        order = {str(path): index for index, (path, _folder) in enumerate(read.files)}
        problems.sort(key=lambda p: (order.get(str(p.file), -1), p.sheet or "", p.row or 0,
                                     _column_key(p.column)))
        raise LoadRejected(problems)
    return resolved


def warn_lookalikes(backend: Backend, diff: Diff, read: ReadFiles) -> None:
    """A warning for each new node named like a node the graph holds under another id."""
    for label, created in diff.new_ids.items():
        added = [node for node in read.nodes if node.label == label and node.props[KEY] in created]
        if added:
            lookalike_warnings(backend, label, added, read.problems)


def record(batch: GraphBatch, result: LoadResult, stamp: Stamp) -> None:
    """What the graph remembers of this load, written in the same batch as its data: a record
    of every field it changed (``changes``) and the Load node with its counts (``history``)."""
    add_change_records(batch, result.changes, stamp.load_id, stamp.at.isoformat(timespec="seconds"))
    counts = result.counts
    batch.add_node("Load", {
        KEY: stamp.load_id, "name": ", ".join(Path(f).name for f in result.files) or stamp.load_id,
        "file": "; ".join(result.files), "sha256": stamp.sha256, "loaded_at": stamp.at.isoformat(timespec="seconds"),
        "rows": result.rows, "added": counts.added, "changed": counts.changed, "unchanged": counts.unchanged,
        "missing": counts.missing, "pruned": counts.pruned, "removed": counts.removed,
        "source": ", ".join(result.sources),
        **({"encoding": ", ".join(dict.fromkeys(result.encodings.values()))} if result.encodings else {}),
    })


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


def _check_names(source: str | None, plan_mapping: LoadMapping, files: list[tuple[Path, str | None]],
                 mapping: PathLike | LoadMapping | None, problems: list[Problem]) -> None:
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
    for path, _folder in files:
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
