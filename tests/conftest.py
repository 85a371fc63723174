"""Shared fixtures: a real embedded FalkorDB and a real Neo4j 5.26 server, never mocks.

Every backend-level test takes the ``backend`` fixture and so runs on both engines. Where Java
or Maven is missing the Neo4j half skips with the reason; under CI=true it must run, and a
server that fails to start fails the tests.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from portfolio_graph.graph import SCHEMA, open_backend

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent / "dashboard"))
from neo4j_server.server import Neo4jTestServer, Neo4jUnavailable  # noqa: E402
# One Chromium for every browser test (the dashboard's and the report pages'): Playwright's sync
# API runs one instance per process, so the fixture is registered here, once.
from dashboard_browser_support import browser_context, screenshot_dir  # noqa: E402,F401

# The shared constants live in tests/support; importing them from conftest keeps working.
from support import BACKEND_PARAMS, BACKENDS, IN_CI, REPO_ROOT, SAMPLE_DIR  # noqa: E402,F401
from support.sample import ensure_sample  # noqa: E402


def running_neo4j(what: str = "Neo4j tests", **options):
    """Start a Neo4jTestServer for a fixture to yield; skip where Java or Maven is missing, but
    fail under CI, where the Neo4j tests must run."""
    try:
        server = Neo4jTestServer(**options)
    except Neo4jUnavailable as exc:
        if IN_CI:
            pytest.fail(f"CI must run the {what}: {exc}")
        pytest.skip(f"{what} skipped: {exc}")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def neo4j_server():
    yield from running_neo4j()


@pytest.fixture(scope="session")
def falkordb_path(tmp_path_factory):
    return tmp_path_factory.mktemp("falkordb") / "portfolio.db"


@pytest.fixture(scope="session")
def _falkordb_backend(falkordb_path):
    backend = open_backend(db=falkordb_path)
    backend.apply_schema(SCHEMA)
    yield backend
    backend.close()


@pytest.fixture(scope="session")
def _neo4j_backend(neo4j_server):
    backend = open_backend(uri=neo4j_server.uri)
    backend.apply_schema(SCHEMA)
    yield backend
    backend.close()


def backend_by_name(request, name: str):
    return request.getfixturevalue(f"_{name}_backend")


@pytest.fixture(params=BACKEND_PARAMS)
def backend(request):
    """An empty graph with the schema applied, on each engine in turn."""
    backend = backend_by_name(request, request.param)
    backend.clear()
    return backend


@pytest.fixture(params=BACKEND_PARAMS)
def sample_backend(request):
    """The sample portfolio on each engine in turn, loaded once per session (see support.sample);
    for tests that only read."""
    return ensure_sample(request.param, backend_by_name(request, request.param))


@pytest.fixture(params=BACKEND_PARAMS)
def backend_location(request):
    """CLI-style connection arguments for each engine: ('--db', path) or ('--uri', uri)."""
    backend = backend_by_name(request, request.param)
    backend.clear()
    if request.param == "falkordb":
        return backend, ["--db", str(request.getfixturevalue("falkordb_path"))]
    return backend, ["--uri", request.getfixturevalue("neo4j_server").uri]


NEO4J_FIXTURES = {"neo4j_server", "_neo4j_backend", "auth_server", "tls_server", "tls_material"}


def pytest_collection_modifyitems(items):
    """Mark every test that needs a Neo4j server, so `-m "not neo4j"` leaves exactly those out."""
    for item in items:
        if NEO4J_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.neo4j)


@pytest.fixture(autouse=True)
def reader_language(monkeypatch):
    """The language tests read, whatever the machine's locale says: English, the message ids,
    which most assertions quote. A module about what readers see (titles, Chinese messages)
    overrides this fixture (same name) with one that sets "zh"; a test of the language choice sets or
    removes the variables itself."""
    from portfolio_graph.i18n import set_language

    monkeypatch.setenv("PORTFOLIO_GRAPH_LANG", "en")
    set_language(None)  # a CLI run's --lang lasts for its process, which here is the test run
    yield
    set_language(None)


def chinese(monkeypatch):
    """For a module's ``reader_language`` override: what a reader sees by default, Chinese."""
    from portfolio_graph.i18n import set_language

    monkeypatch.setenv("PORTFOLIO_GRAPH_LANG", "zh")
    set_language(None)
    yield
    set_language(None)
