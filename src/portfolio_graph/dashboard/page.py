"""One self-contained HTML file: the template with its stylesheet, its script and the data inlined.

The data travels as JSON in a ``<script type="application/json">`` block, which the browser does
not run; the script reads it with ``JSON.parse`` and writes every value into the page as text
(``textContent``, never ``innerHTML``), so a name can hold any markup and stays a name.
"""

from __future__ import annotations

import json
import math
from importlib import resources
from typing import Any

_MARKERS = ("/*__CSS__*/", "/*__JS__*/", "__DATA__", "__TITLE__")


def asset(name: str) -> str:
    return resources.files(__package__).joinpath("assets", name).read_text(encoding="utf-8")


SCRIPTS = ("core.js", "views-a.js", "views-b.js")


def script_text() -> str:
    # Our own code; "</" cannot occur in it unescaped, but a stray one must not end the element.
    return "\n".join(asset(name) for name in SCRIPTS).replace("</", "<\\/")


def script_json(data: Any) -> str:
    """JSON that can sit inside a <script> element: no ``</script>``, ``<!--`` or ``]]>`` can end or
    change the element, and U+2028/U+2029 (line breaks to old JavaScript parsers) are escaped."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=_plain)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _plain(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return str(value)


def html_text(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


def render(data: dict[str, Any], title: str = "产业发展看板 / Portfolio dashboard") -> str:
    template = asset("dashboard.html")
    for marker in _MARKERS:
        if template.count(marker) != 1:  # a broken template must not silently drop a part
            raise RuntimeError(f"dashboard template: marker {marker} must appear exactly once")
    # Replaced in one pass so that text inserted for one marker is never scanned for another.
    parts = {"/*__CSS__*/": asset("dashboard.css"), "/*__JS__*/": script_text(),
             "__DATA__": script_json(data), "__TITLE__": html_text(title)}
    out, rest = [], template
    while True:
        hits = [(rest.find(m), m) for m in parts if rest.find(m) >= 0]
        if not hits:
            out.append(rest)
            return "".join(out)
        at, marker = min(hits)
        out.append(rest[:at])
        out.append(parts.pop(marker))
        rest = rest[at + len(marker):]
