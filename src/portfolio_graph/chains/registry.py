"""Where chain templates come from: the built-in folder, ``$PORTFOLIO_GRAPH_TEMPLATES``, then
folders the caller names (``--templates-dir``). A later folder's template replaces a built-in one
of the same name, as with report files."""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from ..errors import InputError
from .template import Template, parse_template

TEMPLATES_ENV = "PORTFOLIO_GRAPH_TEMPLATES"
Dirs = Iterable[str | os.PathLike[str]] | str | os.PathLike[str] | None


class UnknownTemplate(InputError):
    """No template has that name or alias."""


def builtin_dir() -> Path:
    return Path(__file__).resolve().parent / "templates"


def template_dirs(extra: Dirs = None) -> list[tuple[Path, str]]:
    dirs: list[tuple[Path, str]] = [(builtin_dir(), "built-in")]
    for part in (os.environ.get(TEMPLATES_ENV) or "").split(os.pathsep):
        if part.strip():
            dirs.append((Path(part.strip()).expanduser(), f"${TEMPLATES_ENV}"))
    if isinstance(extra, (str, os.PathLike)):
        extra = [extra]
    for item in extra or ():
        dirs.append((Path(item).expanduser(), "--templates-dir"))
    return dirs


def load_templates(extra: Dirs = None) -> dict[str, Template]:
    """Every visible template by name; a broken file is refused (TemplateError) with its lines."""
    templates: dict[str, Template] = {}
    for folder, origin in template_dirs(extra):
        if not folder.is_dir():
            raise InputError(f"templates folder {folder} ({origin}) does not exist or is not a folder")
        for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
            template = parse_template(path, origin)
            templates[template.name] = template
    return templates


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


def get_template(name: str, extra: Dirs = None) -> Template:
    """A template by its name or an alias (case, width and spaces ignored)."""
    templates = load_templates(extra)
    if name in templates:
        return templates[name]
    wanted = _fold(name)
    for template in templates.values():
        if wanted in {_fold(n) for n in (template.name, *template.aliases)}:
            return template
    raise UnknownTemplate(f"no chain template named {name!r:.60}; templates: {', '.join(sorted(templates))}")


def template_for_chain(names: Iterable[str], templates: dict[str, Template]) -> Template | None:
    """The template whose name or alias is one of a chain's names (its name, aliases, industry)."""
    wanted = {_fold(n) for n in names if n}
    for template in templates.values():
        if wanted & {_fold(n) for n in (template.name, *template.aliases)}:
            return template
    return None
