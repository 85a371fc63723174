"""The one exception tree of portfolio-graph.

Every error the library raises on purpose derives from ``PortfolioGraphError`` and carries the
exit code the command line turns it into. Anything else that escapes is a bug, and the CLI shows
it as one ("internal error, please report"; ``--debug`` prints the traceback), never as "bad input".

- ``InputError`` (exit 2): the user's input is wrong — a file, a cell, a parameter, a name the
  schema does not know. The message says where and what to fix.
- ``PortfolioGraphError`` itself and its other subclasses (exit 1): the database failed, refused
  or is busy, a file could not be written; the message says what happened.

The tree (a second, builtin base keeps ``except ValueError`` / ``except RuntimeError`` callers
working)::

    PortfolioGraphError                      exit 1
    ├── BackendError (RuntimeError)          graph/backend.py: a query or write failed
    │   ├── DatabaseBusy                     another process holds the write lock
    │   ├── ReadOnlyViolation                a read-only call tried to write
    │   ├── EmbeddedServerError              graph/embedded_server.py: server cannot start/attach
    │   └── UnusableParameter (InputError)   graph/params.py: a value neither engine takes; exit 2
    ├── InsecureConfig (PermissionError)     credentials.py: config file readable by others
    └── InputError (ValueError)              exit 2
        ├── SchemaError                      graph/schema.py: unknown label, type or property
        ├── ConfigError                      credentials.py: config file unusable
        ├── CellError                        loaders/normalize.py: one cell (becomes a Problem)
        ├── LoadRejected                     loaders/problems.py: the files have problems
        ├── ReportError                      reports/errors.py
        │   ├── ReportFileError              a report file cannot be used
        │   ├── UnknownReport                reports/registry.py: no report of that name
        │   └── ParameterError               a parameter value does not fit
        └── DependencyCycleError             analysis/dependencies.py: DEPENDS_ON has a cycle

Every class here but ``CellError`` is importable from ``portfolio_graph``.
"""

from __future__ import annotations


class PortfolioGraphError(Exception):
    """Base of every error portfolio-graph raises on purpose."""

    exit_code = 1


class InputError(PortfolioGraphError, ValueError):
    """Bad input from the user (a file, a cell, a parameter, a name); exit code 2."""

    exit_code = 2


__all__ = ["PortfolioGraphError", "InputError"]
