"""How wide text looks on screen: East Asian wide and full-width characters take two cells."""

from __future__ import annotations

import unicodedata


def display_width(text: str) -> int:
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def longest_line_width(text: str) -> int:
    return max((display_width(line) for line in text.splitlines()), default=0)
