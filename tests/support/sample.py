"""The sample portfolio loaded once per engine and test session.

Tests share one graph per engine, and most of them clear it (the ``backend`` fixture). So the
sample is loaded the first time a test asks for it and again only when the graph no longer holds
that load (another test cleared or changed it since): a module of read-only tests pays for one
load, not one per module. A test that writes must use ``backend`` instead.
"""

from __future__ import annotations

from typing import Any

from portfolio_graph.sample import load_sample

from .graph import counts

_LOADED: dict[str, tuple[str, tuple[int, int]]] = {}  # engine -> (load id, counts after loading)


def _still_loaded(name: str, backend: Any) -> bool:
    known = _LOADED.get(name)
    if known is None:
        return False
    load_id, after = known
    found = backend.read("MATCH (l:Load {id: $id}) RETURN count(l) AS n", {"id": load_id})[0]["n"]
    return found == 1 and counts(backend) == after


def ensure_sample(name: str, backend: Any) -> Any:
    """``backend`` holding the sample, loaded now only if it does not hold it already."""
    if not _still_loaded(name, backend):
        result = load_sample(backend, replace=True)
        _LOADED[name] = (result.load_id, counts(backend))
    return backend
