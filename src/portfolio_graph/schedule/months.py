"""Months as the schedule counts them: 'YYYY-MM' text, (year, month) pairs and month arithmetic."""

from __future__ import annotations

import functools
import re

from ..errors import InputError

_MONTH = re.compile(r"^\s*(\d{4})\s*(?:年|[-./])\s*(\d{1,2})\s*(?:月|[-./]\d{1,2})?\s*$")


class MonthError(InputError):
    """A month that cannot be read: the message says what to write."""


@functools.lru_cache(maxsize=4096)
def parse_month(text: str) -> tuple[int, int]:
    """'2023-05', '2023年5月', '2023/5' or a date in the month -> (2023, 5)."""
    match = _MONTH.match(str(text))
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise MonthError(f"{str(text)!r:.40} is not a month; write it as 2023-05 or 2023年5月")
    return int(match.group(1)), int(match.group(2))


def month_text(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def month_date(year: int, month: int) -> str:
    """How a Progress node stores its month: the first day, as an ISO date."""
    return f"{year:04d}-{month:02d}-01"


def shift(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + by
    return index // 12, index % 12 + 1


def months_between(earlier: tuple[int, int], later: tuple[int, int]) -> int:
    return (later[0] - earlier[0]) * 12 + later[1] - earlier[1]


def zh_month(year: int, month: int) -> str:
    return f"{year}年{month}月"


__all__ = ["MonthError", "month_date", "month_text", "months_between", "parse_month", "shift", "zh_month"]
