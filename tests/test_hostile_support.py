"""Shared by the hostile-input, fuzz, crash, read-only and export-safety tests (issue 8).

This module holds no tests: hostile strings, a full snapshot of a graph (every node's and every
relationship's properties) that both engines produce the same way, and ways to run the CLI that
fail on any traceback.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from portfolio_graph.cli import main
from support.cli import child_env

CLI = str(Path(sys.executable).with_name("portfolio-graph"))
DEADLINE = 300.0  # seconds for anything we wait for; generous, the machine may be busy

# Text that would change the graph if it were ever spliced into Cypher, or that looks like
# something else once shown: quotes and braces that close a literal, backticks, escapes, lookalike
# full-width punctuation, bidi overrides, zero-width characters, line breaks, $param text, and the
# FalkorDB CYPHER header syntax. None has leading or trailing whitespace (parameters are trimmed).
HOSTILE: dict[str, str] = {
    "quote_close": "x'}) DETACH DELETE n //",
    "dquote_close": '"}) MATCH (n) DETACH DELETE n //',
    "backticks": "`Project`) DETACH DELETE n //`",
    "escaped_quote": 'a\\"}) MATCH (n) DETACH DELETE n //',
    "trailing_backslash": "abc\\",
    "escape_text": "\\n\\t\\u0027\\x00 not control characters",
    "fullwidth": "＇｝）　ＭＡＴＣＨ　（ｎ）　ＤＥＴＡＣＨ　ＤＥＬＥＴＥ　ｎ　／／＂",
    "rtl_override": "abc\u202edcba\u202c end",
    "zero_width": "芯\u200d片\u200b封\u200c装\u2060测\ufeff试",
    "newlines": "line1\n}) MATCH (n) DETACH DELETE n //\nline3",
    "carriage_returns": "a\r}) MATCH (n) DETACH DELETE n //\r\nb",
    "dollar_params": "$param $v {v} ${x} $0",
    "cypher_header": '" CYPHER v=1 MATCH (n) DETACH DELETE n //',
    "statements": "'; MATCH (n) DETACH DELETE n; //",
    "union": "x' UNION MATCH (n) DETACH DELETE n RETURN 1 AS n //",
    "astral": "🏭💥\U000e0041𠮷",
    "markup": "[/x][bold]b[/bold] <script>alert(1)</script>",
    "formula": "=cmd|' /C calc'!A0",
    "unicode_spaces": "a\u00a0b\u2028c\u3000d",
}

# Text the engines cannot hold the same way, refused with a clear error on both.
NUL = "a\x00b"
SURROGATE = "a\udcffb"  # bytes that are not UTF-8, as Python keeps them from a command line
TEN_MB = "x" * 10_000_000


# -- a full snapshot of the graph -------------------------------------------------------------------


def snapshot(backend: Any) -> list[str]:
    """Every node (labels, properties) and every relationship (type, both ends, properties), as
    sorted JSON lines: equal snapshots mean equal graphs."""
    nodes = backend.read("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props")
    rels = backend.read(
        "MATCH (a)-[r]->(b) RETURN type(r) AS type, labels(a) AS from_labels, a.id AS from_id, "
        "labels(b) AS to_labels, b.id AS to_id, properties(r) AS props"
    )
    lines = [json.dumps({"node": sorted(n["labels"]), **{"props": n["props"]}}, sort_keys=True, ensure_ascii=False)
             for n in nodes]
    lines += [json.dumps({"rel": r["type"], "from": [sorted(r["from_labels"]), r["from_id"]],
                          "to": [sorted(r["to_labels"]), r["to_id"]], "props": r["props"]},
                         sort_keys=True, ensure_ascii=False) for r in rels]
    return sorted(lines)


def checksum(lines: list[str]) -> str:
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


# -- running the CLI --------------------------------------------------------------------------------


def cli(location: list[str], *args: Any, **kwargs: Any):
    """The CLI in this process. Any exception escaping it (a traceback for the user) fails the test."""
    result = CliRunner().invoke(main, [*location, *map(str, args)], catch_exceptions=False, **kwargs)
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output
    return result




def cli_process(location: list[str], *args: str, **popen: Any) -> subprocess.Popen:
    popen.setdefault("stdout", subprocess.PIPE)
    popen.setdefault("stderr", subprocess.PIPE)
    return subprocess.Popen([CLI, *location, *args], env=popen.pop("env", None) or child_env(), **popen)


def run_cli_process(location: list[str], *args: str, **env: str) -> subprocess.CompletedProcess:
    """The CLI as a real process (a real argv, real exit code); stderr must hold no traceback."""
    result = subprocess.run([CLI, *location, *args], capture_output=True, env=child_env(**env), timeout=DEADLINE)
    assert b"Traceback" not in result.stderr, result.stderr.decode(errors="replace")[-3000:]
    return result


def wait_until(predicate, timeout: float = DEADLINE, step: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def location_of(request: Any, name: str) -> list[str]:
    """CLI connection arguments of the session database of engine ``name``."""
    if name == "falkordb":
        return ["--db", str(request.getfixturevalue("falkordb_path"))]
    return ["--uri", request.getfixturevalue("neo4j_server").uri]


# -- catching a writer in the middle of its write (crash and concurrency tests) ------------------------


def server_processes(db: Path) -> list:
    """Live redis-server and supervisor processes serving the embedded database ``db``."""
    import psutil

    found = []
    for proc in psutil.process_iter(["cmdline", "status"]):
        try:
            if proc.info["status"] == psutil.STATUS_ZOMBIE:
                continue
            cmdline = " ".join(proc.info["cmdline"] or [])
        except psutil.Error:
            continue
        if str(db) in cmdline and ("redis-server" in cmdline or "embedded_server" in cmdline):
            found.append(proc)
    return found


def redis_of(db: Path):
    from redis import Redis

    return Redis(unix_socket_path=json.loads((db / "server.json").read_text())["socket"])


def falkordb_staging_holds(db: Path, label: str, before: int, rows: int) -> bool:
    """A writer's staging copy of the graph holds some, not all, of its ``rows`` new ``label``
    nodes: it is writing, and cannot have sent the RENAME that publishes the copy."""
    client = redis_of(db)
    try:
        for key in client.keys("portfolio__staging__*"):
            reply = client.execute_command("GRAPH.RO_QUERY", key, f"MATCH (n:`{label}`) RETURN count(n)")
            if 0 < reply[1][0][0] - before < rows:
                return True
        return False
    finally:
        client.close()


def neo4j_writing(backend: Any, label: str) -> bool:
    """A Neo4j transaction is running a loader's write of ``label`` nodes: CREATE for the new ones,
    MERGE for the others (the Load record and the commit come after every chunk of them)."""
    rows = backend.read("SHOW TRANSACTIONS YIELD currentQuery, status RETURN currentQuery AS q, status AS s")
    writes = (f"CREATE (n:`{label}`", f"MERGE (n:`{label}`")
    return any(any(w in (r["q"] or "") for w in writes) and r["s"] == "Running" for r in rows)


def _holds(check) -> bool:
    try:
        return check()
    except Exception:  # a staging copy gone between KEYS and the query, a busy server ...
        return False


def freeze_mid_write(process: subprocess.Popen, mid_write) -> None:
    """Return with ``process`` stopped (SIGSTOP) at a moment when ``mid_write()`` holds. It is
    checked while the process is frozen, so it still holds when the caller acts."""
    assert wait_until(lambda: process.poll() is not None or _holds(mid_write)), "no write started"
    deadline = time.monotonic() + DEADLINE
    while True:
        assert process.poll() is None, "the writer finished before it could be caught; give it more rows"
        os.kill(process.pid, signal.SIGSTOP)
        if _holds(mid_write):
            return
        os.kill(process.pid, signal.SIGCONT)
        assert time.monotonic() < deadline, "could not catch the writer writing"
        time.sleep(0.05)


@contextlib.contextmanager
def reaped(process: subprocess.Popen):
    """Whatever happens, the process does not outlive the test."""
    try:
        yield process
    finally:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(process.pid, signal.SIGCONT)
            process.kill()
            process.wait(timeout=DEADLINE)
