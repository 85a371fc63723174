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
    """A Neo4j 5.26 server on 127.0.0.1 for the tests.

    ``password``: turn authentication on and give the ``neo4j`` user this password (the server
    starts with neo4j/neo4j, which must be changed before any other query is allowed).
    ``tls_dir``: Bolt accepts TLS only, with ``private.key`` and ``public.crt`` from that folder
    (see :func:`make_tls_material`). ``uri`` is then ``bolt+s://localhost:PORT``.
    """

    def __init__(self, *, password: str | None = None, tls_dir: Path | None = None, heap: str = "2g") -> None:
        self.classpath = build()
        self.port = _free_port()
        self.work_dir = Path(tempfile.mkdtemp(prefix="portfolio-graph-neo4j-"))
        self.password = password
        self.tls_dir = tls_dir
        self.uri = f"bolt+s://localhost:{self.port}" if tls_dir else f"bolt://127.0.0.1:{self.port}"
        self.log_path = self.work_dir / "launcher.log"
        self._log = open(self.log_path, "wb")
        options: list[str] = []
        if password is not None:
            options.append("--auth")
        if tls_dir is not None:
            options += ["--tls", str(tls_dir)]
        self.process = subprocess.Popen(
            ["java", f"-Xmx{heap}", "-cp", self.classpath, "portfoliograph.TestServer",
             str(self.port), str(self.work_dir / "db"), *options],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log,
        )
        self._wait_ready()
        if password is not None:
            try:
                self._set_initial_password(password)
            except BaseException:
                self.stop()
                raise

    def _set_initial_password(self, password: str) -> None:
        """Replace the initial neo4j/neo4j: the server refuses everything else until then.

        The password travels as a query parameter, never inside the Cypher text.
        """
        import neo4j

        uri = self.uri if self.tls_dir is None else f"bolt+ssc://localhost:{self.port}"
        with neo4j.GraphDatabase.driver(uri, auth=("neo4j", "neo4j")) as driver:
            with driver.session(database="system") as session:
                session.run("ALTER CURRENT USER SET PASSWORD FROM 'neo4j' TO $new", new=password).consume()

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


class TlsMaterial:
    """A throwaway CA and a server certificate it signed, made with the openssl CLI.

    ``server_dir`` holds ``private.key`` and ``public.crt`` for the server (``localhost`` and
    127.0.0.1); ``ca_file`` is the CA certificate a client must trust.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.server_dir = root / "bolt"
        self.ca_file = root / "ca.crt"


def make_tls_material(root: Path) -> TlsMaterial:
    if shutil.which("openssl") is None:
        raise Neo4jUnavailable("openssl is not installed; the TLS tests need it to make certificates")
    material = TlsMaterial(root)
    material.server_dir.mkdir(parents=True, exist_ok=True)
    ca_key = root / "ca.key"
    csr = root / "server.csr"
    ext = root / "server.ext"
    ext.write_text(
        "basicConstraints = critical, CA:FALSE\n"
        "keyUsage = critical, digitalSignature, keyEncipherment\n"
        "extendedKeyUsage = serverAuth\n"
        "subjectAltName = DNS:localhost, IP:127.0.0.1\n"
    )

    def openssl(*args: str) -> None:
        result = subprocess.run(["openssl", *args], cwd=root, capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"openssl {args[0]} failed: {result.stderr[-2000:]}")

    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "2",
            "-subj", "/CN=portfolio-graph test CA", "-keyout", str(ca_key), "-out", str(material.ca_file),
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    # Neo4j reads the private key as unencrypted PKCS#8 PEM, which is what genpkey writes.
    openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
            "-out", str(material.server_dir / "private.key"))
    openssl("req", "-new", "-key", str(material.server_dir / "private.key"), "-subj", "/CN=localhost",
            "-out", str(csr))
    openssl("x509", "-req", "-in", str(csr), "-CA", str(material.ca_file), "-CAkey", str(ca_key),
            "-CAcreateserial", "-days", "2", "-sha256", "-extfile", str(ext),
            "-out", str(material.server_dir / "public.crt"))
    # Neo4j's SSL policy loader expects these folders to exist, even when nobody uses them.
    (material.server_dir / "trusted").mkdir(exist_ok=True)
    (material.server_dir / "revoked").mkdir(exist_ok=True)
    return material
