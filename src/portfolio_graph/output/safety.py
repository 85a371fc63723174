"""What a cell holds must never act on whoever reads the export: no formula a spreadsheet would run
(CSV/formula injection), and no control character a terminal would obey.

Where each format stands on control characters (C0 and C1 controls, DEL, bidi overrides):

- ``table`` and ``md`` always show them as Python escapes (``\\x1b``, ``\\r``, ``\\u202e``): both are
  read by people, on a terminal or in a rendered page, where ESC could clear or retitle the screen,
  CR could overwrite a line with forged text and U+202E could reverse what a cell seems to say.
- ``html`` shows them the same way: a page goes to standard output without ``-o`` and, opened in a
  browser, would still honour the bidi overrides.
- ``csv`` written to standard output shows them the same way; ``csv`` written to a file (``-o``)
  keeps the data exact, because another program reads it and a file does not reach a terminal
  unless someone prints it. To get exact text through a pipe, write to a file instead.
- ``json`` writes them as ``\\u`` escapes, which is lossless: a JSON reader gets the exact text back.
- ``xlsx`` drops the C0 controls Excel cannot store (see ``xlsx.py``) and keeps the rest.

Tab and newline are not counted as controls: they cannot move the cursor back over text (``md``
writes a newline as ``<br>`` so that it stays inside its row).
"""

from __future__ import annotations

import re

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# C0 controls but tab and newline, DEL, C1 controls (0x9b alone is CSI to some terminals), and the
# bidi marks, embeddings, overrides and isolates, which reorder the text after them on screen.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")
# json.dumps already escapes C0 controls; these are the ones it writes raw with ensure_ascii=False.
_JSON_RAW_CONTROL = re.compile(f"[\x7f-\x9f{_BIDI}]")


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


def show_controls(text: str) -> str:
    """``text`` with each control character written as its Python escape, so it is seen, not obeyed.

    A backslash in the data is left alone, so ``\\x1b`` typed as four characters reads the same as
    a real ESC; that is the price of output that stays readable.
    """
    return _CONTROL.sub(lambda m: ascii(m.group())[1:-1], text)


def escape_json_controls(text: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) with the control characters it
    left raw written as ``\\uXXXX``. Such characters only occur inside string literals, where the
    escape means the same character, so a reader gets the data back exactly."""
    return _JSON_RAW_CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
