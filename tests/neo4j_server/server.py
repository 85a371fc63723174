"""Build and run the Neo4j 5.26 LTS test server (tests/neo4j_server, Maven Central artifacts).

Used by the pytest fixture and by the benchmarks. The server's life is tied to a pipe on its
standard input: when this Python process dies, the server notices and exits.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent
CLASSPATH_FILE = PROJECT_DIR / "target" / "classpath.txt"
START_TIMEOUT = 180.0


class Neo4jUnavailable(RuntimeError):
    """Java or Maven is missing: the Neo4j tests cannot run on this machine."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build() -> str:
    """Compile the launcher and resolve its classpath with Maven; returns the java classpath."""
    for tool in ("java", "mvn"):
        if shutil.which(tool) is None:
            raise Neo4jUnavailable(f"{tool} is not installed; the Neo4j tests need JDK 17 and Maven")
    sources = list((PROJECT_DIR / "src").rglob("*.java")) + [PROJECT_DIR / "pom.xml"]
    classes = PROJECT_DIR / "target" / "classes"
    fresh = CLASSPATH_FILE.exists() and classes.exists() and all(
        src.stat().st_mtime <= CLASSPATH_FILE.stat().st_mtime for src in sources
    )
    if not fresh:
        result = subprocess.run(
            ["mvn", "-q", "-B", "compile", "dependency:build-classpath",
             f"-Dmdep.outputFile={CLASSPATH_FILE}"],
            cwd=PROJECT_DIR, capture_output=True, text=True,
        )
        if result.returncode != 0:
            raise RuntimeError(f"building the Neo4j test server failed:\n{result.stdout[-4000:]}{result.stderr[-4000:]}")
    return f"{classes}{os.pathsep}{CLASSPATH_FILE.read_text().strip()}"


class Neo4jTestServer:
    def __init__(self) -> None:
        self.classpath = build()
        self.port = _free_port()
        self.work_dir = Path(tempfile.mkdtemp(prefix="portfolio-graph-neo4j-"))
        self.uri = f"bolt://127.0.0.1:{self.port}"
        self.log_path = self.work_dir / "launcher.log"
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            ["java", "-Xmx2g", "-cp", self.classpath, "portfoliograph.TestServer", str(self.port), str(self.work_dir / "db")],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log,
        )
        self._wait_ready()

    def _wait_ready(self) -> None:
        assert self.process.stdout is not None
        deadline = time.monotonic() + START_TIMEOUT
        os.set_blocking(self.process.stdout.fileno(), False)
        seen = b""
        while time.monotonic() < deadline:
            chunk = self.process.stdout.read()
            if chunk:
                seen += chunk
            if b"READY" in seen:
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        self.stop()
        log = self.log_path.read_text(errors="replace")[-4000:]
        raise RuntimeError(f"Neo4j did not start on port {self.port}: {seen.decode(errors='replace')}\n{log}")

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                assert self.process.stdin is not None
                self.process.stdin.close()
                self.process.wait(timeout=60)
            except Exception:
                self.process.kill()
                self.process.wait()
        self._log.close()
        shutil.rmtree(self.work_dir, ignore_errors=True)
