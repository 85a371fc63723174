"""Moving a whole portfolio: ``dump``/``restore`` (CSV folders in the loader's layout) and
``copy_graph`` between engines. Every move is one all-or-nothing write, checked afterwards
against the source's counts and digest (``graphread.Digest``)."""

from .copy import copy_graph
from .dump import dump, read_dump, restore
from .graphread import Digest, TransferError, graph_digest, snapshot

__all__ = ["Digest", "TransferError", "copy_graph", "dump", "graph_digest", "read_dump", "restore", "snapshot"]
