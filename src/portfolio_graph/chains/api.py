"""The chains API the CLI and notebooks share: templates, apply, match, review, as rows/DataFrames."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .apply import ApplyResult, apply_covered, apply_template, read_mapping
from .registry import Dirs, get_template, load_templates
from .template import Template

__all__ = ["apply", "apply_covered", "get_template", "load_templates", "match", "segment_rows", "template_rows"]


def template_rows(templates_dir: Dirs = None) -> list[dict[str, Any]]:
    return [{"name": t.name, "version": t.version, "segments": len(t.segments),
             "aliases": "、".join(t.aliases), "origin": t.origin, "path": str(t.path)}
            for t in sorted(load_templates(templates_dir).values(), key=lambda t: t.name)]


def segment_rows(template: Template) -> list[dict[str, Any]]:
    return [{"order": s.order, "stream": s.stream, "segment": s.name, "parent": s.parent or "",
             "aliases": "、".join(s.aliases), "primary_codes": "、".join(s.primary_codes),
             "supporting_codes": "、".join(s.supporting_codes), "include": "、".join(s.include),
             "exclude": "、".join(s.exclude), "inputs": "、".join(s.inputs), "outputs": "、".join(s.outputs),
             "source": template.source_text(s)}
            for s in template.segments]


def _portfolio_backend(portfolio: Any) -> Any:
    return getattr(portfolio, "backend", portfolio)


def apply(portfolio: Any, template: str | Template, chain: str, *, mapping: str | Path | dict[str, str] | None = None,
          dry_run: bool = False, templates_dir: Dirs = None) -> ApplyResult:
    """Apply a template (by name or alias) to a chain; ``mapping`` is a file or a dict."""
    found = template if isinstance(template, Template) else get_template(template, templates_dir)
    pairs = mapping if isinstance(mapping, dict) else read_mapping(mapping, found)
    return apply_template(_portfolio_backend(portfolio), found, chain, pairs, dry_run)


def match(portfolio: Any, *, chain: str | None = None, dry_run: bool = False, templates_dir: Dirs = None) -> Any:
    """Run the matcher (see chains/matcher.py) and write its IN_SEGMENT links; a ``MatchResult``."""
    from .match import run_match

    return run_match(_portfolio_backend(portfolio), chain, dry_run, templates_dir)
