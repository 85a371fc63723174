"""Chain templates: one YAML file per chain, checked against the template schema on load.

A template lists a chain's segments with their stream (上游/中游/下游), order, optional parent,
GB/T 4754-2017 codes (primary and supporting), include and exclude keywords, typical products
(inputs and outputs, which give the UPSTREAM_OF links) and source. Every problem is reported with
the file, the line and the fix, and a file with any problem is refused whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError
from ..graph.schema import STREAMS
from .codes import section_of
from .yamlines import LineDict, LineList, line_of, load_yaml

# Words that describe any business; a template may not use them as evidence (see matcher.py).
GENERIC_WORDS = frozenset({"平台", "系统", "服务", "销售", "上下游", "上中下游", "产业链", "技术", "产品",
                           "科技", "开发", "生产", "制造", "研发", "贸易", "咨询", "解决方案", "设备", "材料"})

TEMPLATE_KEYS = {"name", "version", "aliases", "description", "gate", "sources", "segments", "note"}
SEGMENT_KEYS = {"name", "aliases", "stream", "order", "parent", "codes", "include", "exclude", "inputs",
                "outputs", "source", "note"}
CODE_KEYS = {"primary", "supporting"}
_CODE = re.compile(r"^\d{2,4}$")


@dataclass(frozen=True)
class Problem:
    file: Path
    line: int
    message: str
    fix: str

    def __str__(self) -> str:
        return f"{self.file.name}, line {self.line}: {self.message} — {self.fix}"


class TemplateError(InputError):
    """A template file that cannot be used; ``problems`` lists each with its line and fix."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = [f"{len(problems)} problem(s) in chain template {problems[0].file}:" if problems else "template error"]
        lines += [f"  {p}" for p in problems]
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Segment:
    name: str
    stream: str
    order: int
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    primary_codes: tuple[str, ...] = ()
    supporting_codes: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    inputs: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    source: str = ""
    note: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Template:
    name: str
    version: int
    segments: tuple[Segment, ...]
    gate: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    description: str = ""
    sources: dict[str, str] = field(default_factory=dict)
    path: Path | None = None
    origin: str = "built-in"

    def segment(self, name: str) -> Segment:
        return next(s for s in self.segments if s.name == name)

    def upstream_pairs(self) -> list[tuple[Segment, Segment, tuple[str, ...]]]:
        """(upstream, downstream, products): A feeds B where A's outputs are B's inputs."""
        pairs = []
        for a in self.segments:
            for b in self.segments:
                products = tuple(p for p in a.outputs if p in b.inputs)
                if a is not b and products:
                    pairs.append((a, b, products))
        return pairs

    def source_text(self, segment: Segment) -> str:
        return self.sources.get(segment.source, segment.source)


class _Checker:
    def __init__(self, path: Path):
        self.path = path
        self.problems: list[Problem] = []

    def add(self, line: int, message: str, fix: str) -> None:
        self.problems.append(Problem(self.path, line, message, fix))

    def keys(self, data: LineDict, allowed: set[str], where: str) -> None:
        for key in data:
            if key not in allowed:
                self.add(line_of(data, key), f"unknown key {key!r} {where}", f"use one of: {', '.join(sorted(allowed))}")

    def text(self, data: LineDict, key: str, where: str, required: bool = True) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.add(data.line, f"{key} is missing {where}", f"add `{key}: ...`")
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            self.add(line_of(data, key), f"{key} {where} must be text", f"write `{key}: some text`")
            return ""
        return value.strip()

    def words(self, data: LineDict, key: str, where: str, required: bool = False) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            if required:
                self.add(data.line, f"{key} is missing {where}", f"add `{key}: [word, word]`")
            return ()
        if not isinstance(value, list) or not all(isinstance(v, (str, int)) and str(v).strip() for v in value):
            self.add(line_of(data, key), f"{key} {where} must be a list of words", f"write `{key}: [word, word]`")
            return ()
        return tuple(str(v).strip() for v in value)


def parse_template(path: Path, origin: str = "built-in") -> Template:
    """Read and check one template file; raises TemplateError listing every problem."""
    check = _Checker(path)
    try:
        data = load_yaml(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError([Problem(path, 0, f"cannot read the file: {exc}", "check the path and that it is UTF-8")])
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else 0
        raise TemplateError([Problem(path, line, f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
                                     "fix the YAML syntax (indentation, colons, brackets)")]) from None
    if not isinstance(data, LineDict):
        raise TemplateError([Problem(path, 1, "a template must be a YAML mapping", "start with `name: 链名`")])
    check.keys(data, TEMPLATE_KEYS, "at the top of the template")
    name = check.text(data, "name", "in the template")
    if name and name != path.stem:
        check.add(line_of(data, "name"), f"the template is named {name!r} but its file is {path.name!r}",
                  f"rename the file to {name}.yaml, or the name to {path.stem}")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        check.add(line_of(data, "version"), "version must be a whole number from 1", "write `version: 1`")
        version = 0
    sources = data.get("sources") or {}
    if not isinstance(sources, dict) or not all(isinstance(v, str) for v in sources.values()):
        check.add(line_of(data, "sources"), "sources must map a short id to the source's title",
                  "write `sources: {id: title of the document}`")
        sources = {}
    gate = check.words(data, "gate", "in the template", required=True)
    raw_segments = data.get("segments")
    segments: list[Segment] = []
    if not isinstance(raw_segments, LineList) or not raw_segments:
        check.add(line_of(data, "segments"), "segments must be a non-empty list", "add `segments:` with `- name: ...` items")
    else:
        for index, raw in enumerate(raw_segments):
            segment = _segment(check, raw, raw_segments.lines[index], sources)
            if segment is not None:
                segments.append(segment)
        _check_segments(check, raw_segments, segments)
    if check.problems:
        raise TemplateError(check.problems)
    return Template(name, version, tuple(sorted(segments, key=lambda s: s.order)), gate,
                    check.words(data, "aliases", "in the template"), data.get("description") or "",
                    dict(sources), path, origin)


def _segment(check: _Checker, raw: Any, line: int, sources: dict[str, str]) -> Segment | None:
    if not isinstance(raw, LineDict):
        check.add(line, "a segment must be a mapping", "write `- name: 环节名` with its keys below")
        return None
    name = check.text(raw, "name", "in a segment")
    where = f"in segment {name!r}" if name else "in a segment"
    check.keys(raw, SEGMENT_KEYS, where)
    stream = check.text(raw, "stream", where)
    if stream and stream not in STREAMS:
        check.add(line_of(raw, "stream"), f"stream {stream!r} {where} is not one of {'/'.join(STREAMS)}",
                  f"write `stream: {STREAMS[0]}`, {STREAMS[1]} or {STREAMS[2]}")
    order = raw.get("order")
    if not isinstance(order, int) or isinstance(order, bool) or order < 1:
        check.add(line_of(raw, "order"), f"order {where} must be a whole number from 1", "write `order: 1` for the first segment")
        order = 0
    codes = raw.get("codes") or LineDict()
    primary: tuple[str, ...] = ()
    supporting: tuple[str, ...] = ()
    if not isinstance(codes, LineDict):
        check.add(line_of(raw, "codes"), f"codes {where} must be a mapping", 'write `codes: {primary: ["3973"], supporting: []}`')
    else:
        check.keys(codes, CODE_KEYS, f"in the codes of {name!r}")
        primary = _codes(check, codes, "primary", where)
        supporting = _codes(check, codes, "supporting", where)
    include = check.words(raw, "include", where, required=True)
    for word in include:
        if word in GENERIC_WORDS:
            check.add(line_of(raw, "include"), f"{word!r} {where} is a generic word, never evidence",
                      "remove it, or use a word only this segment's enterprises write")
    source = check.text(raw, "source", where)
    if source and sources and source not in sources:
        check.add(line_of(raw, "source"), f"source {source!r} {where} is not listed under sources",
                  f"use one of: {', '.join(sources)}, or add it to sources")
    parent = raw.get("parent")
    return Segment(name, stream, order, check.words(raw, "aliases", where), str(parent) if parent else None,
                   primary, supporting, include, check.words(raw, "exclude", where),
                   check.words(raw, "inputs", where), check.words(raw, "outputs", where), source,
                   str(raw.get("note") or ""))


def _codes(check: _Checker, codes: LineDict, key: str, where: str) -> tuple[str, ...]:
    value = codes.get(key)
    if value is None:
        return ()
    if not isinstance(value, list):
        check.add(line_of(codes, key), f"{key} codes {where} must be a list", f'write `{key}: ["3973"]`')
        return ()
    result = []
    for item in value:
        code = str(item).strip()
        if not _CODE.match(code) or section_of(code.ljust(4, "0")) is None:
            check.add(line_of(codes, key), f"{code!r} {where} is not a GB/T 4754-2017 code",
                      "write a class code of four digits (3973), or a group or division prefix (391, 39), as text")
        else:
            result.append(code)
    return tuple(result)


def _check_segments(check: _Checker, raw: LineList, segments: list[Segment]) -> None:
    lines = {s.name: raw.lines[i] for i, s in enumerate(segments) if i < len(raw.lines)}
    seen: dict[str, str] = {}
    orders: dict[int, str] = {}
    for segment in segments:
        line = lines.get(segment.name, raw.line)
        for word in segment.names:
            if word in seen:
                what = "segment" if word == segment.name and seen[word] == word else "name or alias"
                check.add(line, f"duplicate {what} {word!r}: segment {seen[word]!r} already uses it",
                          "give every segment its own name and aliases")
            else:
                seen[word] = segment.name
        if segment.order in orders:
            check.add(line, f"segment {segment.name!r} has order {segment.order}, as {orders[segment.order]!r} does",
                      "give every segment its own order")
        orders.setdefault(segment.order, segment.name)
    by_name = {s.name: s for s in segments}
    for segment in segments:
        if segment.parent and segment.parent not in by_name:
            check.add(lines.get(segment.name, raw.line), f"parent {segment.parent!r} of {segment.name!r} is no segment",
                      f"use one of: {', '.join(by_name)}")
    for segment in segments:  # a parent chain that comes back to where it started
        walk, current = [segment.name], segment
        while current.parent in by_name:
            current = by_name[current.parent]
            if current.name in walk:
                check.add(lines.get(segment.name, raw.line), f"parents form a cycle: {' -> '.join(walk + [current.name])}",
                          "remove one of the parent links")
                break
            walk.append(current.name)
    for a in segments:
        for b in segments:
            feeds = [p for p in a.outputs if p in b.inputs]
            if a is not b and feeds and a.order >= b.order:
                check.add(lines.get(b.name, raw.line),
                          f"cycle in the order: {a.name!r} (order {a.order}) feeds {b.name!r} (order {b.order}) "
                          f"with {feeds[0]!r}, so it must come first",
                          f"give {a.name!r} a smaller order than {b.name!r}, or remove {feeds[0]!r} from one side")
