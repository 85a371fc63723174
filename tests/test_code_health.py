"""Rules of the code itself: small functions, no reaching into another module's private names,
and the library's own promises (an analysis snapshot never outlives a write)."""

from __future__ import annotations

import ast
from pathlib import Path

from portfolio_graph import Portfolio

SRC = Path(__file__).resolve().parents[1] / "src" / "portfolio_graph"
MAX_LINES = 80


def _modules():
    for path in sorted(SRC.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def test_no_module_imports_another_modules_private_names():
    found = []
    for path, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    # gettext's _ is the one public name that starts with an underscore.
                    if alias.name.startswith("_") and alias.name != "_" and not alias.name.startswith("__"):
                        found.append(f"{path.relative_to(SRC)}:{node.lineno} imports {alias.name}")
    assert not found, "\n".join(found)


def test_functions_are_short_or_say_why():
    long = []
    for path, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                doc = ast.get_docstring(node) or ""
                if lines > MAX_LINES and "lines" not in doc:
                    long.append(f"{path.relative_to(SRC)}:{node.lineno} {node.name} ({lines} lines)")
    assert not long, "split these, or say in the docstring why they are long:\n" + "\n".join(long)


def test_a_writing_query_drops_the_analysis_snapshot(backend):
    portfolio = Portfolio(backend)
    before = portfolio.analysis
    assert portfolio.analysis is before  # kept while nothing changes
    portfolio.query("RETURN 1 AS one")
    assert portfolio.analysis is before
    portfolio.query("CREATE (:Project {id: 'P-new', name: '新项目'})", write=True)
    assert portfolio.analysis is not before


def test_the_sample_is_loaded_once_per_session_and_again_after_a_clear(sample_backend):
    from support.sample import ensure_sample

    name = sample_backend.name
    load_ids = [r["id"] for r in sample_backend.read("MATCH (l:Load) RETURN l.id AS id")]
    assert len(load_ids) == 1
    ensure_sample(name, sample_backend)  # still loaded: nothing is written
    assert [r["id"] for r in sample_backend.read("MATCH (l:Load) RETURN l.id AS id")] == load_ids
    sample_backend.clear()
    ensure_sample(name, sample_backend)
    again = [r["id"] for r in sample_backend.read("MATCH (l:Load) RETURN l.id AS id")]
    assert len(again) == 1 and again != load_ids
