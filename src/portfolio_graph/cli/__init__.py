"""The ``portfolio-graph`` command: a thin click layer over the library.

Global options choose the database and come before the command::

    portfolio-graph [--db PATH | --uri URI] COMMAND ...

Each command module registers its commands on ``main``; none of them holds logic a notebook
could not reach through ``portfolio_graph.Portfolio``.
"""

from __future__ import annotations

from .app import main
from . import core  # noqa: F401  (registers commands)
from . import load  # noqa: F401
from . import report  # noqa: F401
from . import analyze  # noqa: F401
from . import demo  # noqa: F401
from . import dashboard  # noqa: F401
from . import chain  # noqa: F401
from . import changes  # noqa: F401
from . import transfer  # noqa: F401

__all__ = ["main"]
