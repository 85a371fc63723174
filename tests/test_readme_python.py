"""The README's Python example, run as written against a database holding the sample: a wrong
name, argument or file in it fails here."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from portfolio_graph.graph import open_backend
from portfolio_graph.sample import load_sample

from support import REPO_ROOT


def readme_python_block() -> str:
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## From Python and notebooks", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, "the README's 'From Python and notebooks' section has no python block"
    return match.group(1)


def test_the_readme_python_block_runs_against_the_sample(tmp_path):
    db = tmp_path / "sample.db"
    backend = open_backend(db=db)
    try:
        load_sample(backend)
    finally:
        backend.close()
    script = readme_python_block() + "\nprint('README block ran')\n"
    env = {**os.environ, "PORTFOLIO_GRAPH_DB": str(db)}
    env.pop("NEO4J_URI", None)
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "README block ran" in done.stdout
