"""Parameters for FalkorDB, which receives them as Cypher literals in a ``CYPHER k=v ...`` header.

The falkordb client builds that header with a recursive, isinstance-heavy function; on a load it
was the largest single cost (about a fifth of the time at 10k rows). This builds the same text
with a type-dispatched serializer, and validates on the way instead of in a second pass:

- a NUL would end the header early in FalkorDB's C parser, so it is refused;
- map keys are written as backtick identifiers, so a key with a backtick is refused;
- NaN and infinity have no Cypher literal, so they are refused.

The refusal names the offending parameter (``$rows[3].props.name``).
"""

from __future__ import annotations

import math
from typing import Any, Callable

from .backend import BackendError


class _Unusable(Exception):
    pass


def _string(value: str) -> str:
    if "\x00" in value:
        raise _Unusable
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _float(value: float) -> str:
    if not math.isfinite(value):
        raise _Unusable
    # float(value): a subclass's repr is not a literal. numpy.float64 (a DataFrame's numbers)
    # writes "np.float64(1.5)", which FalkorDB refused; a subclass with its own __repr__ put any
    # text it liked into the query header.
    return repr(float(value))


def _int(value: int) -> str:
    return repr(int(value))  # as _float: an IntEnum's repr is "<Color.RED: 1>"


def _key(key: Any) -> str:
    text = str(key)
    if not text or "`" in text or "\x00" in text:
        raise _Unusable
    return text


def _map(value: dict) -> str:
    return "{" + ",".join(f"`{_key(k)}`:{literal(v)}" for k, v in value.items()) + "}"


def _list(value: list | tuple) -> str:
    return "[" + ",".join([literal(item) for item in value]) + "]"


_BY_TYPE: dict[type, Callable[[Any], str]] = {
    str: _string,
    bool: lambda value: "true" if value else "false",
    int: _int,
    float: _float,
    dict: _map,
    list: _list,
    tuple: _list,
    type(None): lambda value: "null",
}


def literal(value: Any) -> str:
    """The Cypher literal for a parameter value; raises _Unusable for what FalkorDB cannot take."""
    render = _BY_TYPE.get(type(value))
    if render is not None:
        return render(value)
    for base, base_render in _BY_TYPE.items():  # subclasses (IntEnum, OrderedDict…)
        if isinstance(value, base):
            return base_render(value)
    raise _Unusable


def params_header(params: dict[str, Any] | None) -> str:
    if not params:
        return ""
    try:
        return "CYPHER " + " ".join(f"`{_key(k)}`={literal(v)}" for k, v in params.items()) + " "
    except _Unusable:
        raise BackendError(describe_unusable(params)) from None


_NEITHER = "; FalkorDB cannot take it, so neither backend does"


def describe_unusable(value: Any, path: str = "$") -> str:
    """Where in ``value`` the first unusable item sits, and why (the slow path, for the message).

    The Neo4j backend asks this too, so a query or report that one engine refuses is refused by
    the other: an answer must not depend on the backend.
    """
    if isinstance(value, str):
        return f"parameter {path} contains a NUL byte{_NEITHER}" if "\x00" in value else ""
    if isinstance(value, float):
        return "" if math.isfinite(value) else f"parameter {path} is not a finite number{_NEITHER}"
    if isinstance(value, dict):
        for key, item in value.items():
            try:
                _key(key)
            except _Unusable:
                return f"parameter {path} has an unusable key {str(key)!r:.60}{_NEITHER}"
            found = describe_unusable(item, f"{path}.{key}")
            if found:
                return found
        return ""
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            found = describe_unusable(item, f"{path}[{index}]")
            if found:
                return found
        return ""
    if value is None or isinstance(value, (bool, int)):
        return ""
    return f"parameter {path} has a value of type {type(value).__name__}{_NEITHER}"


def graph_class() -> type:
    """falkordb's Graph, with this module's header builder."""
    from falkordb import Graph

    class ParamGraph(Graph):
        def _build_params_header(self, params: dict | None) -> str:
            return params_header(params)

    return ParamGraph
