"""Keys as the graph compares them: one spelling per id, whatever the steward's keyboard did.

A credit code typed in full-width digits (``９１４４…``) or with a zero-width space appended was a
different string, so a second month's list "added" the same enterprise again beside the original.
Ids and credit codes are therefore NFKC-normalised, stripped of invisible characters (zero-width
and bidirectional controls, soft hyphens, BOMs) and trimmed; credit codes, and ids shaped like
one, are upper-cased. A reference (an area's name, a relationship's end) that names nothing as
written is looked up without its invisible characters and in its key form. Validating a credit code's check
digit is the directory loader's concern, not this module's.
"""

from __future__ import annotations

import re
import unicodedata

# Zero-width and joiner characters, bidirectional marks, embeddings, overrides and isolates,
# the soft hyphen, the Mongolian vowel separator, the word joiner family and the BOM.
INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# The shape of a unified social credit code (GB 32100-2015), in any case: authority and kind,
# six digits of the administrative division, the organisation code and the check character.
_CREDIT_CODE_SHAPE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}\Z", re.IGNORECASE)


def strip_invisible(text: str) -> str:
    return INVISIBLE.sub("", text) if INVISIBLE.search(text) else text


def key_form(text: str) -> str:
    """An id as it is stored and compared."""
    if text.isascii() and text == text.strip() and not _CREDIT_CODE_SHAPE.match(text):
        return text  # the usual id: nothing to normalise (and no per-row cost in a big load)
    cleaned = " ".join(unicodedata.normalize("NFKC", strip_invisible(text)).split())
    return cleaned.upper() if _CREDIT_CODE_SHAPE.match(cleaned) else cleaned


def look_alikes(ref: str) -> list[str]:
    """Other spellings a reference is looked up by when it names nothing as written: without its
    invisible characters, and as a key (an id typed in full-width digits names the id)."""
    found = []
    for alias in (" ".join(strip_invisible(ref).split()), key_form(ref)):
        if alias and alias != ref and alias not in found:
            found.append(alias)
    return found


def credit_code_form(text: str) -> str:
    return key_form(text).upper()


def name_form(text: str) -> str:
    """How names are compared for the look-alike warning: NFKC, no invisible characters, no
    spaces, lower case."""
    return "".join(unicodedata.normalize("NFKC", strip_invisible(text)).split()).lower()
