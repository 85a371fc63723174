"""Cell values as stewards type them, turned into the schema's property types.

Each converter takes a raw cell (str, int, float, bool, date/datetime or None) and returns
``(value, approx)`` or raises ``CellError`` with a message a steward can act on. Units come from
the property name's suffix (``_yi`` 亿元, ``_wan`` 万元, ``_mu`` 亩, ``_ha`` 公顷, ``_months``),
so adding a property to the schema needs no change here.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

from ..errors import InputError
from ..i18n import _
from ..words import yes_no

MAX_CELL_CHARS = 100_000

# Cells that mean "no value" in stewards' lists.
NULL_TOKENS = frozenset({"", "-", "--", "—", "——", "/", "\\", "无", "暂无", "待定", "n/a", "na", "null", "none", "nan", "#n/a"})

# Words around a number that make it approximate ("约44.7亿", "近3万", "1.2万余").
APPROX_PREFIXES = ("大约", "约", "近", "逾", "超过", "超", "将近", "接近")
APPROX_SUFFIXES = ("左右", "以上", "余", "多", "+")

# Magnitude words, as multipliers.
MAGNITUDES: dict[str, Decimal] = {
    "": Decimal(1), "十": Decimal(10), "百": Decimal(100), "千": Decimal(1000),
    "万": Decimal(10) ** 4, "十万": Decimal(10) ** 5, "百万": Decimal(10) ** 6,
    "千万": Decimal(10) ** 7, "亿": Decimal(10) ** 8, "万亿": Decimal(10) ** 12,
}

# Base units per dimension, each as a multiple of the dimension's reference unit.
UNITS: dict[str, dict[str, Decimal]] = {
    "money": {"元": Decimal(1), "rmb": Decimal(1), "cny": Decimal(1)},
    "land": {  # reference: 亩; 1 公顷 = 15 亩 exactly
        "亩": Decimal(1), "公顷": Decimal(15), "ha": Decimal(15), "平方米": Decimal("0.0015"),
        "㎡": Decimal("0.0015"), "m2": Decimal("0.0015"), "m²": Decimal("0.0015"),
        "平方公里": Decimal(1500), "km2": Decimal(1500), "km²": Decimal(1500),
    },
    "months": {"月": Decimal(1), "个月": Decimal(1), "年": Decimal(12)},
    "count": {"个": Decimal(1), "家": Decimal(1), "户": Decimal(1), "人": Decimal(1), "项": Decimal(1),
              "次": Decimal(1), "宗": Decimal(1), "块": Decimal(1), "件": Decimal(1),
              "年": Decimal(1)},  # "2023年" in a year column
}

# What a property name's suffix says about its unit: (dimension, value of one stored unit).
SUFFIX_UNITS: dict[str, tuple[str, Decimal]] = {
    "_yi": ("money", Decimal(10) ** 8),
    "_wan": ("money", Decimal(10) ** 4),
    "_mu": ("land", Decimal(1)),
    "_ha": ("land", Decimal(15)),
    "_months": ("months", Decimal(1)),
}

_NUMBER = re.compile(r"^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)(.*)$", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
# Control characters, and unpaired UTF-16 surrogates: a JSON file can carry one as an escape
# ("\ud800"), but it is not text either engine can store (encoding it fails at write time).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# The engines store whole numbers as 64-bit integers; FalkorDB silently clamps larger ones to
# 2**63-1, and turning a cell like "1e999999" into a Python int first takes minutes.
INT_MIN, INT_MAX = -(2**63), 2**63 - 1
# Items of a list cell and references of a link cell are separated alike.
LIST_SPLIT = re.compile(r"[|、,，;；\n]+")
# No empty marker is longer: a longer cell is not lower-cased to be looked up.
NULL_TOKEN_MAX = max(map(len, NULL_TOKENS))


def is_empty_text(text: str) -> bool:
    """Whether a stripped text cell says "nothing here": empty, or a marker such as -, 无, n/a."""
    return not text or (len(text) <= NULL_TOKEN_MAX and text.lower() in NULL_TOKENS)


def screen_text(text: str) -> None:
    """``check_text`` where two cheap C-level tests see a reason to (the hot path's form)."""
    if len(text) > MAX_CELL_CHARS or _CONTROL.search(text):
        check_text(text)


class CellError(InputError):
    """A cell that cannot become the property's type; ``fix`` says what to do where the type's
    usual advice would not help (an invisible control character, an oversized cell)."""

    def __init__(self, message: str, fix: str | None = None):
        super().__init__(message)
        self.fix = fix


def dimension_of(prop_name: str) -> tuple[str, Decimal]:
    for suffix, unit in SUFFIX_UNITS.items():
        if prop_name.endswith(suffix):
            return unit
    return ("count", Decimal(1))


def unit_factor(dimension: str, unit_text: str) -> Decimal | None:
    """The value of ``unit_text`` (e.g. 万元, 亿, 公顷, 万平方米) in the dimension's reference unit."""
    unit = unit_text.strip().lower()
    base_units = UNITS[dimension]
    if unit in base_units:
        return base_units[unit]
    for magnitude in sorted(MAGNITUDES, key=len, reverse=True):
        if magnitude and unit.startswith(magnitude):
            rest = unit[len(magnitude):]
            if rest == "" and dimension in ("money", "count"):
                # "万" alone next to an amount of money means 万元.
                return MAGNITUDES[magnitude] * (UNITS["money"]["元"] if dimension == "money" else 1)
            if rest in base_units:
                return MAGNITUDES[magnitude] * base_units[rest]
    return None


def clean_text(raw: Any) -> str:
    """A cell as text: Excel's integral floats without '.0', ends trimmed."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, (_dt.datetime, _dt.date)):
        return raw.isoformat()[:10] if not isinstance(raw, _dt.datetime) or raw.time() == _dt.time() else raw.isoformat(sep=" ")
    return str(raw).strip()


def check_text(text: str) -> None:
    if len(text) > MAX_CELL_CHARS:
        raise CellError(_("cell is {length:,} characters long; the limit is {limit:,}").format(
                            length=len(text), limit=MAX_CELL_CHARS),
                        _("shorten the cell, or keep long documents outside the list"))
    match = _CONTROL.search(text)
    if match:
        char = match.group()
        if char == "\x00":
            what = _("a NUL byte")
        elif "\ud800" <= char <= "\udfff":
            what = _("an unpaired surrogate U+{code:04X}, which is not text").format(code=ord(char))
        else:
            what = _("control character U+{code:04X}").format(code=ord(char))
        raise CellError(_("cell contains {what} at character {position}").format(what=what, position=match.start() + 1),
                        _("delete the invisible character (retype the cell, or re-export the file)"))


def reject_object(raw: Any) -> None:
    """A JSON object or list where one text belongs: stored as its Python repr ("{'a': 1}",
    "['x']") until it was refused."""
    if isinstance(raw, dict):
        raise CellError(_("expected text, got a JSON object {value!r:.40}").format(value=clean_text(raw)),
                        _("write the value as text (a JSON string), not as an object {...}"))
    if isinstance(raw, (list, tuple)):
        raise CellError(_("expected one text, got a JSON list {value!r:.40}").format(value=clean_text(raw)),
                        _("write the value as text (a JSON string), not as a list [...]"))


def is_null(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, float) and raw != raw:
        return True
    return isinstance(raw, str) and is_empty_text(raw.strip())


def to_string(raw: Any, *, collapse: bool = True) -> str:
    reject_object(raw)
    text = clean_text(raw)
    check_text(text)
    return _SPACES.sub(" ", text) if collapse else text


def to_list(raw: Any) -> list[str]:
    if isinstance(raw, (list, tuple)):
        parts = [to_string(item) for item in raw if not is_null(item)]
    else:
        parts = [part.strip() for part in LIST_SPLIT.split(to_string(raw))]
    return [p for p in parts if not is_empty_text(p)]


def to_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    value = yes_no(clean_text(raw))
    if value is None:
        text = unicodedata.normalize("NFKC", clean_text(raw)).strip().lower()
        raise CellError(_("{value!r:.40} is not a yes/no value; write true/false or 是/否").format(value=text))
    return value


def parse_number(raw: Any, prop_name: str, header_unit: str | None = None) -> tuple[Decimal, bool]:
    """A number in the property's stored unit, and whether the source marked it approximate."""
    dimension, stored = dimension_of(prop_name)
    if isinstance(raw, bool):
        raise CellError(_("expected a number, got a yes/no value"))
    if isinstance(raw, (int, float)) and not header_unit:
        return Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw), False
    text = unicodedata.normalize("NFKC", clean_text(raw))
    text = _SPACES.sub("", text).replace(",", "").replace("，", "")
    approx = False
    for prefix in APPROX_PREFIXES:
        if text.startswith(prefix):
            text, approx = text[len(prefix):], True
            break
    for suffix in APPROX_SUFFIXES:
        if text.endswith(suffix):
            text, approx = text[: -len(suffix)], True
            break
    match = _NUMBER.match(text)
    if not match:
        raise CellError(_("{value!r:.40} is not a number").format(value=clean_text(raw)))
    number_text, unit_text = match.groups()
    for suffix in APPROX_SUFFIXES:  # "1.2万余" puts the word after the unit
        if unit_text.endswith(suffix):
            unit_text, approx = unit_text[: -len(suffix)], True
    try:
        number = Decimal(number_text)
    except InvalidOperation:
        raise CellError(_("{value!r:.40} is not a number").format(value=clean_text(raw))) from None
    unit = unit_text or header_unit
    factor = unit_factor(dimension, unit) if unit and unit_text != "%" else Decimal(1)
    if factor is None:
        raise CellError(_("unit {unit!r:.20} does not fit {field} ({hint})").format(
            unit=unit, field=prop_name, hint=_unit_hint(dimension)))
    try:
        if unit_text == "%":
            return number / 100, approx
        return (number * factor / stored if unit else number), approx
    except ArithmeticError:  # decimal.Overflow ("1E1000000万元"): was a traceback, not a located error
        raise CellError(_("{value!r:.40} is too large a number").format(value=clean_text(raw))) from None


def _unit_hint(dimension: str) -> str:
    return {
        "money": _("write 元, 万元 or 亿元"),
        "land": _("write 亩, 公顷 or 平方米"),
        "months": _("write 月 or 年"),
        "count": _("write a plain number, or 万/亿"),
    }[dimension]


def to_float(raw: Any, prop_name: str, header_unit: str | None = None) -> tuple[float, bool]:
    number, approx = parse_number(raw, prop_name, header_unit)
    value = float(number)
    if not math.isfinite(value):  # "1e400", or Infinity in a JSON file: no engine stores it
        raise CellError(_("{value!r:.40} is too large a number").format(value=clean_text(raw)))
    return value, approx


def to_int(raw: Any, prop_name: str, header_unit: str | None = None) -> tuple[int, bool]:
    number, approx = parse_number(raw, prop_name, header_unit)
    if not number.is_finite() or not INT_MIN <= number <= INT_MAX:  # checked before int(): see INT_MAX
        raise CellError(_("{value!r:.40} is too large a whole number").format(value=clean_text(raw)))
    if number != number.to_integral_value():
        raise CellError(_("{value!r:.40} is not a whole number").format(value=clean_text(raw)))
    return int(number), approx


EXCEL_EPOCH = _dt.date(1899, 12, 30)
_DATE_PATTERNS = (
    re.compile(r"^(?P<y>\d{4})[-/.年](?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})日?$"),
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"),
    re.compile(r"^(?P<y>\d{4})[-/.年](?P<m>\d{1,2})月?(?:份)?$"),
    re.compile(r"^(?P<y>\d{4})年?$"),
)
# Parts of a year stewards write instead of a date, as (month, day) and approximate.
YEAR_PARTS = {"年底": (12, 31), "年末": (12, 31), "年初": (1, 1), "上半年": (6, 30), "年中": (6, 30),
              "下半年": (12, 31)}


def to_date(raw: Any) -> tuple[str, bool]:
    """ISO 'YYYY-MM-DD'. A month or a year alone means its first day; 年底 and the like are approximate."""
    if isinstance(raw, _dt.datetime):
        return raw.date().isoformat(), False
    if isinstance(raw, _dt.date):
        return raw.isoformat(), False
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if 1 <= raw < 2_958_466:  # Excel's serial day numbers, 1900 date system
            if 1900 <= raw <= 2100 and float(raw).is_integer():
                return f"{int(raw):04d}-01-01", False
            return (EXCEL_EPOCH + _dt.timedelta(days=int(raw))).isoformat(), False
        raise CellError(_("{value!r:.40} is not a date").format(value=raw))
    text = unicodedata.normalize("NFKC", clean_text(raw))
    text = _SPACES.sub("", text)
    approx = False
    for word, (month, day) in YEAR_PARTS.items():
        if text.endswith(word) and re.fullmatch(r"\d{4}年?", text[: -len(word)]):
            year = int(text[:4])
            return _make_date(year, month, day, raw), True
    for prefix in APPROX_PREFIXES:
        if text.startswith(prefix):
            text, approx = text[len(prefix):], True
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        return to_date(float(text))[0], approx
    text = text.split("T")[0].split(" ")[0] if re.match(r"^\d{4}-\d{2}-\d{2}[T ]", text) else text
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            parts = match.groupdict()
            return _make_date(int(parts["y"]), int(parts.get("m") or 1), int(parts.get("d") or 1), raw), approx
    raise CellError(_("{value!r:.40} is not a date").format(value=clean_text(raw)))


def _make_date(year: int, month: int, day: int, raw: Any) -> str:
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        raise CellError(_("{value!r:.40} is not a valid date (month 1–12, day within the month)").format(
            value=clean_text(raw))) from None


def convert(raw: Any, prop_type: str, prop_name: str, unit: str | None = None) -> tuple[Any, bool]:
    """One cell as the property's type; ``(None, False)`` for an empty cell."""
    coded = CODED.get(prop_name)
    if coded is not None:
        value, approx = _convert(raw, prop_type, prop_name, unit)
        return (value if value is None else _checked_code(coded, value)), approx
    return _convert(raw, prop_type, prop_name, unit)


def _checked_code(check: Callable[[Any], str], value: Any) -> str:
    from ..chains.codes import CodeError

    try:
        return check(value)
    except CodeError as exc:
        raise CellError(str(exc), exc.fix) from None


def _coded() -> dict[str, Callable[[Any], str]]:
    from ..chains.codes import normalize_industry_code, normalize_uscc

    return {"uscc": normalize_uscc, "industry_code": normalize_industry_code}


def _convert(raw: Any, prop_type: str, prop_name: str, unit: str | None = None) -> tuple[Any, bool]:
    if type(raw) is str:
        # The hot path of a million-row load: plain text cells, checked with C-level calls only.
        text = raw.strip()
        if is_empty_text(text):
            return None, False
        screen_text(text)
        if prop_type == "string":
            return (text if prop_name == "notes" else " ".join(text.split())), False
    elif is_null(raw):
        return None, False
    if prop_type == "string":
        return to_string(raw, collapse=prop_name != "notes"), False
    if prop_type == "float":
        return to_float(raw, prop_name, unit)
    if prop_type == "int":
        return to_int(raw, prop_name, unit)
    if prop_type == "bool":
        return to_bool(raw), False
    if prop_type == "date":
        return to_date(raw)
    if prop_type == "list[string]":
        return to_list(raw), False
    raise CellError(f"no converter for type {prop_type}")


# -- one converter per column -------------------------------------------------------------------
#
# ``convert`` decides per cell what the property's type, name and unit already decide per column.
# ``converter`` makes that decision once and answers the clean cells that make up almost every
# file (plain text, an ASCII decimal, an ISO date) without the general path's normalisation; any
# other cell goes through ``convert``, so values and messages are the same whichever path ran.

Converter = Callable[[Any], tuple[Any, bool]]
_EMPTY: tuple[Any, bool] = (None, False)
_PLAIN_DECIMAL = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?\Z")
_PLAIN_INT = re.compile(r"[+-]?[0-9]{1,18}\Z")  # 18 digits always fit in 64 bits
_PLAIN_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_PLAIN_MAX = 40  # longer digit strings are rare enough to leave to the general path


def converter(prop_type: str, prop_name: str, unit: str | None = None) -> Converter:
    """``convert`` for one column: ``converter(t, n, u)(raw) == convert(raw, t, n, u)`` for every raw."""
    if prop_name in CODED:  # checked codes (credit code, industry code): no fast path to skip the check
        return lambda raw: convert(raw, prop_type, prop_name, unit)
    if prop_type == "string":
        return _string_converter(prop_name, unit)
    if prop_type == "float":
        return _float_converter(prop_name, unit)
    if prop_type == "int":
        return _int_converter(prop_name, unit)
    if prop_type == "date":
        return _date_converter(prop_name, unit)
    if prop_type == "list[string]":
        return _list_converter(prop_name, unit)
    return lambda raw: convert(raw, prop_type, prop_name, unit)


def _string_converter(prop_name: str, unit: str | None) -> Converter:
    collapse = prop_name != "notes"

    def string(raw: Any) -> tuple[Any, bool]:
        if type(raw) is not str:
            return convert(raw, "string", prop_name, unit)
        text = raw.strip()
        if is_empty_text(text):
            return _EMPTY
        screen_text(text)
        return (" ".join(text.split()) if collapse else text), False

    return string


def _list_converter(prop_name: str, unit: str | None) -> Converter:
    control = _CONTROL.search
    split = LIST_SPLIT.split

    def items(raw: Any) -> tuple[Any, bool]:
        if type(raw) is str:
            text = raw.strip()
            if is_empty_text(text):
                return _EMPTY
            if len(text) <= MAX_CELL_CHARS and not control(text):
                # One item, the usual cell: to_list's split has nothing to split and, the cell
                # being no empty marker, nothing to drop (collapsing its spaces cannot make one).
                collapsed = " ".join(text.split())
                if len(split(collapsed)) == 1:
                    return [collapsed], False
        return convert(raw, "list[string]", prop_name, unit)

    return items


def _float_converter(prop_name: str, unit: str | None) -> Converter:
    dimension, stored = dimension_of(prop_name)
    factor = unit_factor(dimension, unit) if unit else None
    plain = _PLAIN_DECIMAL.match

    def number(raw: Any) -> tuple[Any, bool]:
        if type(raw) is str:
            text = raw.strip()
            if len(text) <= _PLAIN_MAX and text.isascii() and plain(text):
                if not unit:
                    return float(text), False  # float(Decimal(t)) is float(t): both round once, exactly
                if factor is not None:
                    return float(Decimal(text) * factor / stored), False  # parse_number's own arithmetic
        return convert(raw, "float", prop_name, unit)

    return number


def _int_converter(prop_name: str, unit: str | None) -> Converter:
    plain = _PLAIN_INT.match

    def whole(raw: Any) -> tuple[Any, bool]:
        if type(raw) is str and not unit:
            text = raw.strip()
            if text.isascii() and plain(text):
                return int(text), False
        return convert(raw, "int", prop_name, unit)

    return whole


def _date_converter(prop_name: str, unit: str | None) -> Converter:
    plain = _PLAIN_DATE.match

    def date(raw: Any) -> tuple[Any, bool]:
        if type(raw) is str:
            text = raw.strip()
            if len(text) == 10 and text.isascii() and plain(text):
                try:
                    return _dt.date(int(text[:4]), int(text[5:7]), int(text[8:])).isoformat(), False
                except ValueError:
                    pass  # the general path words the problem
        return convert(raw, "date", prop_name, unit)

    return date


# Properties whose text is a code with a checkable structure; see chains/codes.py.
CODED: dict[str, Callable[[Any], str]] = _coded()
