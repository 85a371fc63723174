"""Identifiers on enterprise lists: the 统一社会信用代码 (GB 32100-2015) and GB/T 4754 industry codes.

Both are checked where a steward types them, so a broken code is a located problem of its cell,
not a silent miss of the matcher later. Industry codes may carry the section letter (C3973) and
may be of the 2011 edition, which registries still hold; ``to_2017`` turns one into the 2017 code
through the crosswalk (``crosswalk-4754.yaml``).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path
from typing import Any

# GB 32100-2015: 31 characters (no I, O, S, V, Z) and the weights of positions 1-17.
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_INDEX = {c: i for i, c in enumerate(USCC_CHARS)}
_SPACES = re.compile(r"[\s\u200b-\u200d\u2060\ufeff-]+")


class CodeError(ValueError):
    """A code that cannot be right; ``fix`` says what to do."""

    def __init__(self, message: str, fix: str):
        super().__init__(message)
        self.fix = fix


def uscc_check_char(first17: str) -> str:
    """The 18th character of a credit code whose first 17 are given."""
    total = sum(_USCC_INDEX[c] * w for c, w in zip(first17, USCC_WEIGHTS))
    return USCC_CHARS[(31 - total % 31) % 31]


def normalize_uscc(text: str) -> str:
    """A credit code as written (full-width, lower case, spaces or hyphens) -> its 18 characters,
    or CodeError naming what is wrong."""
    code = _SPACES.sub("", unicodedata.normalize("NFKC", str(text))).upper()
    if len(code) != 18:
        raise CodeError(f"统一社会信用代码 {text!r:.40} has {len(code)} characters, not 18",
                        "copy the full 18-character code from the business licence")
    bad = sorted({c for c in code if c not in _USCC_INDEX})
    if bad:
        raise CodeError(f"统一社会信用代码 {code!r} contains {''.join(bad)!r}, which no credit code uses "
                        "(the letters I, O, S, V and Z are never used)",
                        "check the characters against the business licence (0 and O, 1 and I are easy to mix up)")
    if not code[2:8].isdigit():
        raise CodeError(f"统一社会信用代码 {code!r}: characters 3-8 must be the digits of the "
                        "administrative division code", "check the code against the business licence")
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise CodeError(f"统一社会信用代码 {code!r}: the check character is {code[17]!r} but the first 17 "
                        f"characters give {expected!r} (GB 32100)", "a character was mistyped; "
                        "copy the code again from the business licence or the 国家企业信用信息公示系统")
    return code


# GB/T 4754-2017 sections and the two-digit divisions each holds (the same in the 2011 edition).
SECTIONS: dict[str, tuple[int, int]] = {
    "A": (1, 5), "B": (6, 12), "C": (13, 43), "D": (44, 46), "E": (47, 50), "F": (51, 52),
    "G": (53, 60), "H": (61, 62), "I": (63, 65), "J": (66, 69), "K": (70, 70), "L": (71, 72),
    "M": (73, 75), "N": (76, 79), "O": (80, 82), "P": (83, 83), "Q": (84, 85), "R": (86, 90),
    "S": (91, 96), "T": (97, 97),
}
_INDUSTRY = re.compile(r"^([A-Z])?(\d{4})$")


def section_of(code: str) -> str | None:
    division = int(code[:2])
    return next((s for s, (lo, hi) in SECTIONS.items() if lo <= division <= hi), None)


def normalize_industry_code(text: Any) -> str:
    """'C3973', 'c 3973', '３９７３' or 3973 -> '3973'; CodeError for anything else."""
    raw = str(int(text)) if isinstance(text, float) and text.is_integer() else str(text)
    code = _SPACES.sub("", unicodedata.normalize("NFKC", raw)).upper()
    match = _INDUSTRY.match(code)
    if not match:
        raise CodeError(f"行业代码 {raw!r:.40} is not a GB/T 4754 class code",
                        "write the four-digit class code, optionally after its section letter (3973 or C3973)")
    letter, digits = match.groups()
    section = section_of(digits)
    if section is None:
        raise CodeError(f"行业代码 {raw!r:.40}: division {digits[:2]} does not exist in GB/T 4754",
                        "check the code; divisions run from 01 to 97")
    if letter and letter != section:
        raise CodeError(f"行业代码 {raw!r:.40}: division {digits[:2]} belongs to section {section}, not {letter}",
                        f"write {section}{digits} or {digits}")
    return digits


@functools.lru_cache(maxsize=1)
def crosswalk() -> dict[str, dict[str, Any]]:
    """2011 code -> {'to': [2017 codes], 'name_2011': ..., 'names_2017': [...]}, from the data file."""
    import yaml

    data = yaml.safe_load((Path(__file__).parent / "crosswalk-4754.yaml").read_text(encoding="utf-8"))
    return {str(row["code_2011"]): {"to": [str(c) for c in row["to"]], "name_2011": row["name_2011"],
                                    "names_2017": list(row["names_2017"])}
            for row in data["changed"]}


def to_2017(code: str | None, name: str | None = None, edition: int | None = None) -> list[str]:
    """The 2017 code(s) an enterprise's code means. A code the crosswalk lists is read as 2011
    when the edition says so or the industry name is the 2011 name (6550 集成电路设计 -> 6520);
    otherwise it is taken as 2017, the current edition."""
    if not code:
        return []
    row = crosswalk().get(code)
    if row is None:
        return [code]
    if edition == 2011 or (edition is None and name and _same_name(name, row["name_2011"])
                           and not any(_same_name(name, n) for n in row["names_2017"])):
        return list(row["to"])
    return [code]


def _same_name(a: str, b: str) -> bool:
    a, b = unicodedata.normalize("NFKC", a).strip(), unicodedata.normalize("NFKC", b).strip()
    return a == b or (len(b) >= 4 and b in a)
