"""Helpers the tests share (import them from here, never from another test module):

- this module: where things are and which engines a test runs on;
- ``support.cli``: the CLI in this process; ``support.graph``: what a graph holds;
- ``support.processes``: the embedded server's processes; ``support.sample``: the sample portfolio
  loaded once per engine and session (the ``sample_backend`` fixture, registered in conftest).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
BACKENDS = ["falkordb", "neo4j"]
# Marked so `make test-unit` (-m "not neo4j") can leave the Neo4j half out.
BACKEND_PARAMS = ["falkordb", pytest.param("neo4j", marks=pytest.mark.neo4j)]
REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DIR = REPO_ROOT / "data" / "dongcheng"
