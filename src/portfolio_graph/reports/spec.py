"""What a report file says: its metadata header, its parameters, its columns and its Cypher.

A report is a ``.cypher`` file. It opens with a block of ``//`` comment lines holding YAML::

    // name: chain-completeness
    // title: 产业链完整度 / Chain completeness
    // description: Segments of each chain, the enterprises in each ...
    // params:
    //   chain: {type: ref, labels: [Chain], default: null, help: "chain name, alias or id"}
    // columns:
    //   chain: 产业链
    //   path: {help: "the dependency path", ordered: true}
    // chart: [enterprise_count]
    // table: [chain, segment, enterprises]

``chart`` picks the numeric columns the html format draws (false for none), ``chart_label`` the
columns that name a bar, and ``table`` the columns the table format shows by default (wide
reports stay readable in a terminal; the other formats always carry every column).

The Cypher follows. Where the two engines cannot share one text, the file holds one complete
query per engine, each under a marker line ``// --- variant: falkordb`` / ``// --- variant: neo4j``.

This module only parses and checks the file's own consistency; it runs nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..graph.schema import SCHEMA, SchemaError
from .errors import ReportError, ReportFileError
from .values import check_value

ENGINES = ("falkordb", "neo4j")
PARAM_TYPES = ("string", "int", "float", "bool", "date", "list[string]", "ref", "label", "rel_type")
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
PARAM_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
VARIANT_RE = re.compile(r"^\s*//\s*---\s*variant:\s*(\S+)\s*$")

# Parameters every report receives. ``lenient`` is set by --lenient; the others carry the
# schema's vocabulary (see params.system_params) so no report spells status words itself.
STANDARD_PARAMS = ("lenient",)
SYSTEM_PARAMS = (
    "status_done", "status_in_progress", "status_delayed", "status_blocked", "status_not_started",
    "land_ready", "comparator_gt", "comparator_ge", "comparator_double", "comparator_approx",
    "rel_endpoints", "schema_labels", "counted_decisions", "portfolio_labels", "qualification_tags",
)
# Python steps a report file may name with ``compute:`` (schedule/steps.py): the lights are computed
# in Python after the Cypher read, on both engines alike. ``reads:`` then lists the query's columns.
COMPUTE_STEPS = ("schedule", "trend", "goals-at-risk")
# Keyword arguments of the Python ``report()`` call; a report parameter may not shadow them.
RESERVED_NAMES = ("name", "db", "uri", "portfolio", "reports_dir", "backend", "with_sources")


@dataclass(frozen=True)
class ParamSpec:
    name: str
    type: str = "string"
    default: Any = None
    help: str = ""
    choices: tuple[Any, ...] = ()
    required: bool = False
    labels: tuple[str, ...] = ()  # for type ref: the labels the thing may have
    label_param: str | None = None  # for type ref: a label-typed parameter that narrows ``labels``
    min: float | None = None
    max: float | None = None

    def describe(self) -> str:
        kind = self.type
        if self.type == "ref":
            kind = f"name, alias or id of a {' / '.join(self.labels)}"
        if self.choices:
            kind += f"; one of {', '.join(str(c) for c in self.choices)}"
        if self.min is not None or self.max is not None:
            kind += f"; {'' if self.min is None else self.min}..{'' if self.max is None else self.max}"
        return kind


COLUMN_FORMATS = ("text", "int", "number", "amount", "percent", "date", "bool", "list")
COLUMN_KEYS = {"help", "ordered", "zh", "en", "technical", "format", "unit"}


@dataclass(frozen=True)
class ColumnSpec:
    """One output column: its key, the titles readers see, and how its values read.

    ``zh``/``en`` are the titles of the human formats; ``technical`` marks ids and raw keys that
    human formats leave out unless asked; ``format`` and ``unit`` say how a value is written.
    """

    name: str
    help: str = ""
    ordered: bool = False  # a list whose order means something (a path); other lists get sorted
    zh: str = ""
    en: str = ""
    technical: bool = False
    format: str = ""
    unit: str = ""


@dataclass(frozen=True)
class ReportSpec:
    name: str
    title: str
    description: str
    params: tuple[ParamSpec, ...]
    columns: tuple[ColumnSpec, ...]
    queries: dict[str, str]  # engine name -> Cypher
    path: Path | None = None
    origin: str = "built-in"
    chart: tuple[str, ...] | None = None  # numeric columns to chart; None = every numeric column
    chart_label: tuple[str, ...] = ()  # columns that name a bar
    table_columns: tuple[str, ...] = ()  # what the table format shows; every column when empty
    compute: str | None = None  # a Python step that turns the query's rows into the declared ones
    reads: tuple[str, ...] = ()  # with compute: the columns the query returns

    @property
    def query_columns(self) -> list[str]:
        """What the Cypher's RETURN names: the declared columns, or with a compute step its reads."""
        return list(self.reads) if self.compute else self.column_names

    @property
    def title_zh(self) -> str:
        return self.title.split(" / ", 1)[0].strip()

    @property
    def title_en(self) -> str:
        parts = self.title.split(" / ", 1)
        return parts[1].strip() if len(parts) == 2 else ""

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def param(self, name: str) -> ParamSpec | None:
        for p in self.params:
            if p.name == name:
                return p
        return None

    def query_for(self, engine: str) -> str:
        try:
            return self.queries[engine]
        except KeyError:
            raise ReportError(f"report {self.name!r} has no Cypher for the {engine} engine") from None

    @property
    def has_variants(self) -> bool:
        return len(set(self.queries.values())) > 1

    @property
    def cypher_text(self) -> str:
        """The Cypher as written, with variant markers where there are variants."""
        if not self.has_variants:
            return self.queries[ENGINES[0]]
        return "\n".join(f"// --- variant: {e}\n{self.queries[e]}" for e in ENGINES)


def parse_report_file(path: Path, origin: str = "built-in") -> ReportSpec:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ReportFileError(f"{path}: not UTF-8 text") from None
    return parse_report_text(text, path=Path(path), origin=origin)


def parse_report_text(text: str, path: Path | None = None, origin: str = "built-in") -> ReportSpec:
    where = str(path) if path else "<report>"

    def fail(message: str) -> ReportFileError:
        return ReportFileError(f"{where}: {message}")

    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    header_lines: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if VARIANT_RE.match(line) or not line.lstrip().startswith("//"):
            break
        content = line.lstrip()[2:]
        header_lines.append(content[1:] if content.startswith(" ") else content)
        index += 1
    try:
        header = yaml.safe_load("\n".join(header_lines)) or {}
    except yaml.YAMLError as exc:
        raise fail(f"the // header is not valid YAML: {exc}") from None
    if not isinstance(header, dict):
        raise fail("the // header must be a YAML mapping (name:, title:, ...)")

    name = header.get("name")
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise fail("the header needs 'name:' in lower-case-with-dashes")
    if path is not None and path.stem != name:
        raise fail(f"the file name must be {name}.cypher to match 'name: {name}'")
    title = header.get("title")
    if not isinstance(title, str) or " / " not in title:
        raise fail("the header needs 'title: 中文标题 / English title'")
    description = header.get("description") or ""
    if not isinstance(description, str) or not description.strip():
        raise fail("the header needs a 'description:'")

    params = tuple(_parse_param(pname, pdef, fail) for pname, pdef in (header.get("params") or {}).items())
    names = [p.name for p in params]
    for p in params:
        if p.label_param and p.label_param not in names:
            raise fail(f"parameter {p.name!r}: label_param {p.label_param!r} is not a parameter")
    columns = _parse_columns(header.get("columns"), fail)
    chart = header.get("chart")
    if chart is False:
        chart_cols: tuple[str, ...] | None = ()
    elif chart is None:
        chart_cols = None
    elif isinstance(chart, list) and all(c in [c.name for c in columns] for c in chart):
        chart_cols = tuple(chart)
    else:
        raise fail("'chart:' must be false or a list of declared columns")
    chart_label = header.get("chart_label") or []
    if not isinstance(chart_label, list) or any(c not in [c.name for c in columns] for c in chart_label):
        raise fail("'chart_label:' must be a list of declared columns")

    table = header.get("table") or []
    if not isinstance(table, list) or any(c not in [c.name for c in columns] for c in table):
        raise fail("'table:' must be a list of declared columns")

    compute = header.get("compute")
    if compute is not None and compute not in COMPUTE_STEPS:
        raise fail(f"'compute:' must be one of {', '.join(COMPUTE_STEPS)}")
    reads = header.get("reads") or []
    if not isinstance(reads, list) or not all(isinstance(c, str) for c in reads) or bool(reads) != bool(compute):
        raise fail("'reads:' lists the query's columns, and goes with 'compute:'")

    queries = _split_variants(lines[index:], fail)
    known = {"name", "title", "description", "params", "columns", "chart", "chart_label", "table", "compute", "reads"}
    unknown = sorted(set(header) - known)
    if unknown:
        raise fail(f"unknown header keys: {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return ReportSpec(
        name=name, title=title.strip(), description=" ".join(description.split()), params=params,
        columns=columns, queries=queries, path=path, origin=origin, chart=chart_cols,
        chart_label=tuple(chart_label), table_columns=tuple(table),
        compute=compute, reads=tuple(reads),
    )


def _parse_param(name: Any, definition: Any, fail) -> ParamSpec:
    if not isinstance(name, str) or not PARAM_NAME_RE.match(name):
        raise fail(f"parameter name {name!r} must be lower_case_with_underscores")
    if name in SYSTEM_PARAMS or name in RESERVED_NAMES:
        raise fail(f"parameter name {name!r} is reserved")
    if definition is None:
        definition = {}
    if not isinstance(definition, dict):
        raise fail(f"parameter {name!r}: expected a mapping like {{type: string, default: null, help: ...}}")
    allowed = {"type", "default", "help", "choices", "required", "labels", "label_param", "min", "max"}
    extra = set(definition) - allowed
    if extra:
        raise fail(f"parameter {name!r}: unknown keys {', '.join(sorted(extra))}")
    ptype = definition.get("type", "string")
    if ptype not in PARAM_TYPES:
        raise fail(f"parameter {name!r}: type {ptype!r} is not one of {', '.join(PARAM_TYPES)}")
    if name == "lenient" and ptype != "bool":
        raise fail("parameter 'lenient' must be a bool")
    labels = tuple(definition.get("labels") or ())
    if ptype == "ref" and not labels:
        raise fail(f"parameter {name!r}: a ref needs 'labels: [Label, ...]'")
    try:
        for label in labels:
            SCHEMA.label(label)
        if ptype == "label":
            for choice in definition.get("choices") or ():
                SCHEMA.label(choice)
        if ptype == "rel_type":
            for choice in definition.get("choices") or ():
                SCHEMA.rel_type(choice)
    except SchemaError as exc:
        raise fail(f"parameter {name!r}: {exc}") from None
    spec = ParamSpec(
        name=name,
        type=ptype,
        default=definition.get("default"),
        help=str(definition.get("help") or ""),
        choices=tuple(definition.get("choices") or ()),
        required=bool(definition.get("required", False)),
        labels=labels,
        label_param=definition.get("label_param"),
        min=definition.get("min"),
        max=definition.get("max"),
    )
    if spec.default is not None and spec.type != "ref":
        # The default must itself be a valid value.
        try:
            check_value(spec, spec.default)
        except ReportError as exc:
            raise fail(f"default of {exc}") from None
    return spec


def _parse_columns(raw: Any, fail) -> tuple[ColumnSpec, ...]:
    if isinstance(raw, str):
        raw = {c.strip(): "" for c in raw.split(",") if c.strip()}
    if not isinstance(raw, dict) or not raw:
        raise fail("the header needs 'columns:' (a mapping of column name to help text)")
    columns = []
    for cname, cdef in raw.items():
        if isinstance(cdef, dict):
            extra = set(cdef) - COLUMN_KEYS
            if extra:
                raise fail(f"column {cname!r}: unknown keys {', '.join(sorted(extra))}")
            fmt = str(cdef.get("format") or "")
            if fmt and fmt not in COLUMN_FORMATS:
                raise fail(f"column {cname!r}: format must be one of {', '.join(COLUMN_FORMATS)}")
            columns.append(ColumnSpec(
                str(cname), str(cdef.get("help") or ""), bool(cdef.get("ordered", False)),
                zh=str(cdef.get("zh") or ""), en=str(cdef.get("en") or ""),
                technical=bool(cdef.get("technical", False)), format=fmt, unit=str(cdef.get("unit") or ""),
            ))
        else:
            columns.append(ColumnSpec(str(cname), "" if cdef is None else str(cdef)))
    return tuple(columns)


def _split_variants(lines: list[str], fail) -> dict[str, str]:
    sections: dict[str | None, list[str]] = {None: []}
    current: str | None = None
    for line in lines:
        match = VARIANT_RE.match(line)
        if match:
            current = match.group(1)
            if current not in ENGINES:
                raise fail(f"unknown variant {current!r}; variants are {', '.join(ENGINES)}")
            if current in sections:
                raise fail(f"variant {current!r} appears twice")
            sections[current] = []
            continue
        sections[current].append(line)
    shared = "\n".join(sections.pop(None)).strip()
    if not sections:
        if not shared:
            raise fail("no Cypher after the header")
        return {engine: shared for engine in ENGINES}
    if _strip_comments(shared):
        raise fail("with variants, all Cypher must sit under a '// --- variant:' marker")
    missing = [e for e in ENGINES if e not in sections]
    if missing:
        raise fail(f"variants must cover every engine; missing: {', '.join(missing)}")
    queries = {engine: "\n".join(body).strip() for engine, body in sections.items()}
    for engine, query in queries.items():
        if not _strip_comments(query):
            raise fail(f"variant {engine!r} is empty")
    return queries


def _strip_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.strip().startswith("//")).strip()
