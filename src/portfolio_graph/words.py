"""Words read the same wherever a person writes them: in a loaded file's cell and in a report
parameter."""

from __future__ import annotations

import unicodedata

TRUE_WORDS = frozenset({"true", "t", "yes", "y", "1", "on", "是", "有", "√", "✓", "对"})
FALSE_WORDS = frozenset({"false", "f", "no", "n", "0", "off", "否", "无", "×", "✗", "不是"})


def yes_no(text: str) -> bool | None:
    """True or False for a yes/no word (full-width forms and case folded), None for any other text."""
    word = unicodedata.normalize("NFKC", text).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None
