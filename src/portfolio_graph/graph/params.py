"""Query parameters both engines take the same way, and FalkorDB's parameter header.

A parameter value one engine refuses is refused by the other too, before it is sent, so a query
or report never answers differently on the two (``describe_unusable``; the Neo4j backend asks it
for every query, the FalkorDB backend when its header builder meets such a value):

- a NUL would end FalkorDB's header early (its parser reads a C string);
- text with unpaired surrogates (command-line bytes that are not UTF-8) cannot be encoded;
- a whole number outside 64 bits: FalkorDB clamps it silently to 2**63-1;
- NaN and infinity have no Cypher literal;
- map keys are written as backtick identifiers, so a key with a backtick is refused.

FalkorDB receives parameters as Cypher literals in a ``CYPHER k=v ...`` header. The falkordb
client builds that header with a recursive, isinstance-heavy function; on a load it was the
largest single cost (about a fifth of the time at 10k rows). ``params_header`` builds the same
text with a type-dispatched serializer, and checks on the way instead of in a second pass. The
refusal names the offending parameter (``$rows[3].props.name``).
"""

from __future__ import annotations

import math
from typing import Any, Callable

from ..errors import InputError
from .backend import BackendError

INT_MIN, INT_MAX = -(2**63), 2**63 - 1


class UnusableParameter(InputError, BackendError):
    """A parameter value neither engine is given (see the module docstring); exit code 2."""


class _Unusable(Exception):
    pass


def text_problem(value: str) -> str:
    """Why ``value`` is not text both engines store alike ("" when it is)."""
    if "\x00" in value:
        return "contains a NUL byte"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "is not valid UTF-8 text"
    return ""


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
    if not INT_MIN <= value <= INT_MAX:
        raise _Unusable
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
        header = "CYPHER " + " ".join(f"`{_key(k)}`={literal(v)}" for k, v in params.items()) + " "
        if not header.isascii():
            header.encode("utf-8")  # unpaired surrogates: refused here, with the parameter named
    except (_Unusable, UnicodeEncodeError):
        raise UnusableParameter(describe_unusable(params)) from None
    return header


_NEITHER = "; FalkorDB cannot take it, so neither backend does"


def describe_unusable(value: Any, path: str = "$") -> str:
    """Where in ``value`` the first unusable item sits, and why (the slow path, for the message).

    The Neo4j backend asks this too, so a query or report that one engine refuses is refused by
    the other: an answer must not depend on the backend.
    """
    if isinstance(value, str):
        problem = text_problem(value)
        return f"parameter {path} {problem}{_NEITHER}" if problem else ""
    if isinstance(value, float):
        return "" if math.isfinite(value) else f"parameter {path} is not a finite number{_NEITHER}"
    if isinstance(value, int) and not isinstance(value, bool) and not INT_MIN <= value <= INT_MAX:
        return f"parameter {path} is too large a number for a 64-bit integer{_NEITHER}"
    if isinstance(value, dict):
        for key, item in value.items():
            try:
                _key(key)
                if text_problem(str(key)):
                    raise _Unusable
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
