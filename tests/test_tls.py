"""Encrypted Bolt: bolt+s, neo4j+s and the +ssc variants against a real TLS-only Neo4j 5.26.

The suite makes a throwaway CA and a server certificate for localhost/127.0.0.1 with the openssl
CLI. ``+s`` schemes verify the certificate against OpenSSL's default trust store, which
``SSL_CERT_FILE`` replaces; OpenSSL reads that variable each time a context loads its default
paths, so setting it in ``os.environ`` before the driver is created works in-process as well as
in a child process (both are tested).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import IN_CI, running_neo4j
from neo4j_server.server import Neo4jUnavailable, make_tls_material
from portfolio_graph.cli import main
from portfolio_graph.graph import SCHEMA, BackendError, GraphBatch, open_backend

pytestmark = pytest.mark.neo4j

CLI = str(Path(sys.executable).with_name("portfolio-graph"))


@pytest.fixture(scope="session")
def tls_material(tmp_path_factory):
    try:
        return make_tls_material(tmp_path_factory.mktemp("tls"))
    except Neo4jUnavailable as exc:
        if IN_CI:
            pytest.fail(f"CI must run the TLS tests: {exc}")
        pytest.skip(f"TLS tests skipped: {exc}")


@pytest.fixture(scope="session")
def tls_server(tls_material):
    """A Neo4j whose Bolt port accepts TLS only, with a certificate signed by the test CA."""
    yield from running_neo4j("TLS tests", tls_dir=tls_material.server_dir, heap="1g")


@pytest.fixture(autouse=True)
def no_inherited_settings(monkeypatch, tmp_path):
    for name in ("NEO4J_PASSWORD", "NEO4J_URI", "NEO4J_USERNAME", "NEO4J_DATABASE", "SSL_CERT_FILE", "SSL_CERT_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PORTFOLIO_GRAPH_CONFIG", str(tmp_path / "none.ini"))


@pytest.fixture
def trust_ca(monkeypatch, tls_material):
    monkeypatch.setenv("SSL_CERT_FILE", str(tls_material.ca_file))
    return tls_material.ca_file


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "SSL_CERT_"))}
    env.update(extra)
    return env


def round_trip(uri: str) -> None:
    """Schema, an all-or-nothing write and a read back, over this URI."""
    with open_backend(uri=uri) as backend:
        assert backend.location == uri
        backend.apply_schema(SCHEMA)
        batch = GraphBatch()
        batch.add_node("Project", {"id": "P-tls", "name": "加密项目"})
        backend.upsert(batch)
        assert backend.read("MATCH (p:Project {id: 'P-tls'}) RETURN p.name AS name") == [{"name": "加密项目"}]


@pytest.mark.parametrize("scheme", ["bolt+s", "neo4j+s"])
def test_verified_tls_in_process_when_the_ca_is_trusted(tls_server, trust_ca, scheme):
    round_trip(f"{scheme}://localhost:{tls_server.port}")


def test_verified_tls_by_ip_address(tls_server, trust_ca):
    # The certificate names 127.0.0.1 as well, and the driver checks IP SANs.
    round_trip(f"bolt+s://127.0.0.1:{tls_server.port}")


@pytest.mark.parametrize("scheme", ["bolt+s", "neo4j+s"])
def test_verified_tls_from_the_command_line(tls_server, tls_material, scheme, tmp_path):
    uri = f"{scheme}://localhost:{tls_server.port}"
    completed = subprocess.run(
        [CLI, "--uri", uri, "stats", "--format", "json"],
        env=child_env(SSL_CERT_FILE=str(tls_material.ca_file), PORTFOLIO_GRAPH_CONFIG=str(tmp_path / "none.ini")),
        capture_output=True, text=True, timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    assert '"labels"' in completed.stdout
    in_process = CliRunner().invoke(main, ["--uri", uri, "info"], env={"SSL_CERT_FILE": str(tls_material.ca_file)})
    assert in_process.exit_code == 0, in_process.output
    assert f"location: {uri}" in in_process.output


@pytest.mark.parametrize("scheme", ["bolt+ssc", "neo4j+ssc"])
def test_self_signed_schemes_work_without_trusting_the_ca(tls_server, scheme):
    round_trip(f"{scheme}://localhost:{tls_server.port}")
    result = CliRunner().invoke(main, ["--uri", f"{scheme}://localhost:{tls_server.port}", "info"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("scheme", ["bolt+s", "neo4j+s"])
def test_an_untrusted_certificate_is_refused_with_a_clear_error(tls_server, scheme, tmp_path):
    uri = f"{scheme}://localhost:{tls_server.port}"
    with pytest.raises(BackendError, match="certificate is not trusted") as caught:
        open_backend(uri=uri)
    assert "SSL_CERT_FILE" in str(caught.value)
    completed = subprocess.run([CLI, "--uri", uri, "info"], capture_output=True, text=True, timeout=120,
                               env=child_env(PORTFOLIO_GRAPH_CONFIG=str(tmp_path / "none.ini")))
    assert completed.returncode == 1
    assert completed.stderr.startswith(f"Error: cannot connect to Neo4j at {uri}")
    assert "certificate is not trusted" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_a_ca_bundle_without_our_ca_does_not_help(tls_server, monkeypatch, tmp_path, tls_material):
    # Another CA of the same name must not be accepted in place of the real one.
    other = make_tls_material(tmp_path / "other")
    monkeypatch.setenv("SSL_CERT_FILE", str(other.ca_file))
    with pytest.raises(BackendError, match="certificate is not trusted"):
        open_backend(uri=f"bolt+s://localhost:{tls_server.port}")


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
def test_plain_bolt_to_a_tls_only_server_fails_clearly(tls_server, trust_ca, scheme):
    uri = f"{scheme}://localhost:{tls_server.port}"
    with pytest.raises(BackendError) as caught:
        open_backend(uri=uri)
    message = str(caught.value)
    assert message.startswith(f"cannot connect to Neo4j at {uri}")
    assert f"try {scheme}+s://" in message
    result = CliRunner().invoke(main, ["--uri", uri, "info"])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert f"try {scheme}+s://" in result.output


def test_tls_to_a_plain_server_fails_clearly(neo4j_server):
    uri = f"bolt+ssc://127.0.0.1:{neo4j_server.port}"
    with pytest.raises(BackendError) as caught:
        open_backend(uri=uri)
    assert str(caught.value).startswith(f"cannot connect to Neo4j at {uri}")
    assert "try bolt://" in str(caught.value)
