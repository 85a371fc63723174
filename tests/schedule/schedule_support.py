"""Fixtures the schedule tests import: the session's databases are left empty behind each test,
since later modules load the sample, which the replace guard refuses onto a graph holding others' data."""

from __future__ import annotations

import pytest


@pytest.fixture
def backend(backend):
    yield backend
    backend.clear()


@pytest.fixture
def backend_location(backend_location):
    yield backend_location
    backend_location[0].clear()
