"""Exports that a spreadsheet opens must not run what a cell says (CSV/formula injection)."""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(text: str) -> str:
    """Prefix a quote so Excel and LibreOffice show the text instead of evaluating it.

    Plain negative numbers stay numbers: "-3.5" is data, not a formula.
    """
    if text and text.startswith(FORMULA_PREFIXES) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
