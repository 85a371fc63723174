"""One report parameter's value converted to its declared type, or a ``ParameterError`` naming
the parameter. A leaf of the reports package: spec.py checks declared defaults with it, params.py
every value given."""

from __future__ import annotations

import datetime as _dt
import json
import math
from typing import TYPE_CHECKING, Any

from ..graph.params import text_problem
from ..graph.schema import SCHEMA, SchemaError
from ..i18n import _
from ..words import yes_no
from .errors import ParameterError

if TYPE_CHECKING:  # pragma: no cover
    from .spec import ParamSpec


def check_value(param: ParamSpec, raw: Any) -> Any:
    """One value converted to the parameter's type, or a ParameterError naming the parameter."""
    try:
        value = _convert(param, raw)
    except OverflowError:  # a float parameter given as a Python int beyond any float
        raise ParameterError(_("parameter {name!r}: {value!r:.40} is too large a number").format(
            name=param.name, value=raw)) from None
    except (TypeError, ValueError) as exc:
        raise ParameterError(_("parameter {name!r}: {problem}").format(name=param.name, problem=exc)) from None
    if value is None:
        return None
    if param.choices and value not in param.choices:
        raise ParameterError(_("parameter {name!r}: {value!r:.60} is not one of {choices}").format(
            name=param.name, value=value, choices=", ".join(str(c) for c in param.choices)))
    if param.min is not None and value < param.min:
        raise ParameterError(_("parameter {name!r}: {value} is below the minimum {limit}").format(
            name=param.name, value=value, limit=param.min))
    if param.max is not None and value > param.max:
        raise ParameterError(_("parameter {name!r}: {value} is above the maximum {limit}").format(
            name=param.name, value=value, limit=param.max))
    return value


def portable_text(value: str) -> str:
    """Text both engines take the same way (``graph.params.text_problem``: no NUL, valid UTF-8),
    refused here so the message names the report parameter."""
    problem = text_problem(value)
    if problem:
        raise ValueError(f"{value!r:.60} {problem}")
    return value


def _convert(param: ParamSpec, raw: Any) -> Any:
    kind = param.type
    if raw is None:
        return None
    if isinstance(raw, str):
        raw = raw.strip()
        if raw == "" or (kind not in ("string", "ref", "list[string]") and raw.lower() == "null"):
            return None
    if kind in ("string", "ref"):
        if isinstance(raw, bool) or not isinstance(raw, (str, int)):
            raise ValueError(f"expected text, got {type(raw).__name__}")
        return portable_text(str(raw))
    if kind == "int":
        if isinstance(raw, bool):
            raise ValueError("expected a whole number, got a boolean")
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        if isinstance(raw, str):
            try:
                raw = int(raw)
            except ValueError:
                raise ValueError(f"expected a whole number, got {raw!r:.60}") from None
        if isinstance(raw, int):
            # The engines' integers have 64 bits: FalkorDB clamped a larger one, Neo4j refused it.
            if not -(2**63) <= raw < 2**63:
                raise ValueError(f"{raw!r:.40} is too large a whole number")
            return raw
        raise ValueError(f"expected a whole number, got {type(raw).__name__}")
    if kind == "float":
        if isinstance(raw, bool):
            raise ValueError("expected a number, got a boolean")
        if isinstance(raw, str):
            try:
                raw = float(raw)
            except ValueError:
                raise ValueError(f"expected a number, got {raw!r:.60}") from None
        if not isinstance(raw, (int, float)) or not math.isfinite(raw):
            raise ValueError(f"expected a finite number, got {raw!r:.60}")
        return float(raw)
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, int) and raw in (0, 1):
            return bool(raw)
        if isinstance(raw, str) and yes_no(raw) is not None:
            return yes_no(raw)
        raise ValueError(f"expected true or false, got {raw!r:.60}")
    if kind == "date":
        if isinstance(raw, _dt.datetime):
            raw = raw.date()
        if isinstance(raw, _dt.date):
            return raw.isoformat()
        if isinstance(raw, str):
            try:
                return _dt.date.fromisoformat(raw).isoformat()
            except ValueError:
                raise ValueError(f"expected a date as YYYY-MM-DD, got {raw!r:.60}") from None
        raise ValueError(f"expected a date as YYYY-MM-DD, got {type(raw).__name__}")
    if kind == "list[string]":
        if isinstance(raw, str):
            if raw.startswith("["):
                try:
                    raw = json.loads(raw)
                except ValueError:
                    raise ValueError(f"expected a JSON list or comma-separated text, got {raw!r:.60}") from None
            else:
                raw = [part.strip() for part in raw.replace("、", ",").split(",") if part.strip()]
        if not isinstance(raw, (list, tuple)) or not all(isinstance(v, str) for v in raw):
            raise ValueError("expected a list of text values")
        return [portable_text(v) for v in raw]
    if kind in ("label", "rel_type"):
        if not isinstance(raw, str):
            raise ValueError(f"expected a {kind.replace('_', ' ')} name")
        try:
            return SCHEMA.label(raw).name if kind == "label" else SCHEMA.rel_type(raw).name
        except SchemaError as exc:
            raise ValueError(str(exc)) from None
    raise ValueError(f"unknown parameter type {kind!r}")  # pragma: no cover - spec.py rejects it
