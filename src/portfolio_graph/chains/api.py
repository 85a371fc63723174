"""The chains API the CLI and notebooks share: templates, apply, match, review, as rows/DataFrames."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .apply import ApplyResult, apply_covered, apply_template, read_mapping
from .registry import Dirs, get_template, load_templates
from .template import Template

__all__ = ["apply", "apply_covered", "get_template", "load_templates", "match", "review_export", "review_import", "segment_rows", "template_rows"]


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


def review_export(portfolio: Any, path: str | Path, *, chain: str | None = None, candidates: bool = True) -> int:
    """Write the matcher's unreviewed proposals to an xlsx file with an empty 审核 column."""
    from .review import export_review

    return export_review(_portfolio_backend(portfolio), path, chain, candidates)


def review_import(portfolio: Any, path: str | Path, *, reviewer: str, partial: bool = False, dry_run: bool = False) -> Any:
    """Apply a reviewed file: 接受 -> stated link (reviewed_by, reviewed_at); 拒绝 -> removed and remembered."""
    from .review import import_review

    return import_review(_portfolio_backend(portfolio), path, reviewer, partial, dry_run)
