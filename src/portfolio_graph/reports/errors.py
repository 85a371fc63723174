"""The reports' errors (a leaf module: spec, params and values all raise them)."""

from __future__ import annotations

from ..errors import InputError


class ReportError(InputError):
    """A report file, a report name or a report parameter is wrong; the message says which."""


class ReportFileError(ReportError):
    """A report file cannot be used: the message names the file and the problem."""


class ParameterError(ReportError):
    """A parameter value does not fit its declaration; the message starts with its name."""
