"""The one exception tree of portfolio-graph.

Every error the library raises on purpose derives from ``PortfolioGraphError`` and carries the
exit code the command line turns it into. Anything else that escapes is a bug, and the CLI shows
it as one (with its traceback), never as "bad input".

- ``InputError`` (exit 2): the user's input is wrong — a file, a cell, a parameter, a name the
  schema does not know. The message says where and what to fix.
- ``PortfolioGraphError`` itself and its other subclasses (exit 1): the database failed, refused
  or is busy; the message says what happened.
"""

from __future__ import annotations


class PortfolioGraphError(Exception):
    """Base of every error portfolio-graph raises on purpose."""

    exit_code = 1


class InputError(PortfolioGraphError, ValueError):
    """Bad input from the user (a file, a cell, a parameter, a name); exit code 2."""

    exit_code = 2


__all__ = ["PortfolioGraphError", "InputError"]
