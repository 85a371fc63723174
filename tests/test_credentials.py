"""The Neo4j password: where it may come from, and that it never shows up anywhere.

A real Neo4j 5.26 with authentication on (``auth_server``) checks every path: the environment,
a private config file, the --ask-password prompt; and the ways a password could leak: error
messages, ``repr``, the ``info`` command, a URI with userinfo, configparser's error text, and
the driver's own DEBUG logging.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import running_neo4j
from portfolio_graph.cli import main
from portfolio_graph.credentials import ConfigError, InsecureConfig, password_from_config
from portfolio_graph.graph import BackendError, open_backend

CLI = str(Path(sys.executable).with_name("portfolio-graph"))
# Quotes, '%' (configparser interpolation), a space and CJK: each has broken a parser somewhere.
PASSWORD = "Zq7'pw\"d%密码 x9!"
WRONG = "Wr0ng-but-close-密码"
SECRETS = (PASSWORD, WRONG)


@pytest.fixture(scope="session")
def auth_server():
    """A second Neo4j with authentication on; user neo4j, password PASSWORD."""
    yield from running_neo4j(password=PASSWORD, heap="1g")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    """No password, URI or config from the machine running the tests."""
    for name in ("NEO4J_PASSWORD", "NEO4J_URI", "NEO4J_USERNAME", "NEO4J_USER", "NEO4J_DATABASE",
                 "PORTFOLIO_GRAPH_DB"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PORTFOLIO_GRAPH_CONFIG", str(tmp_path / "no-such-config.ini"))


def write_config(path: Path, password: str = PASSWORD, mode: int = 0o600) -> Path:
    path.write_text(f"[neo4j]\npassword = {password}\n", encoding="utf-8")
    os.chmod(path, mode)
    return path


def cli(args, **kwargs):
    return CliRunner().invoke(main, args, **kwargs)


def assert_no_secret(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text, f"a password leaked into: {text[:300]!r}"


def assert_clean_failure(result, exit_code: int = 1) -> None:
    """Non-zero exit through click's error path: one message, no traceback, no password."""
    assert result.exit_code == exit_code, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert_no_secret(result.output)


# -- the right password, from each source --------------------------------------------------------


@pytest.mark.neo4j
def test_password_from_the_environment(auth_server, monkeypatch):
    monkeypatch.setenv("NEO4J_PASSWORD", PASSWORD)
    result = cli(["--uri", auth_server.uri, "query", "RETURN 1 AS one", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"one": 1' in result.output
    info = cli(["--uri", auth_server.uri, "info"])
    assert info.exit_code == 0, info.output
    assert f"location: {auth_server.uri}" in info.output
    assert_no_secret(result.output, info.output)


@pytest.mark.neo4j
def test_password_from_a_private_config_file(auth_server, monkeypatch, tmp_path):
    config = write_config(tmp_path / "config.ini")
    monkeypatch.setenv("PORTFOLIO_GRAPH_CONFIG", str(config))
    result = cli(["--uri", auth_server.uri, "stats", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert_no_secret(result.output)


def test_an_owner_read_only_config_file_is_accepted(tmp_path):
    config = write_config(tmp_path / "config.ini", mode=0o400)
    assert password_from_config(config) == PASSWORD


@pytest.mark.neo4j
def test_password_from_the_prompt_is_not_echoed(auth_server):
    result = cli(["--uri", auth_server.uri, "--ask-password", "query", "RETURN 1 AS one", "--format", "json"],
                 input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "Neo4j password" in result.output
    assert '"one": 1' in result.output
    assert_no_secret(result.output)


@pytest.mark.neo4j
def test_the_prompt_wins_over_the_environment(auth_server, monkeypatch):
    monkeypatch.setenv("NEO4J_PASSWORD", WRONG)
    result = cli(["--uri", auth_server.uri, "--ask-password", "info"], input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert_no_secret(result.output)


@pytest.mark.neo4j
def test_the_prompt_in_a_real_process_reads_a_pipe_and_prints_no_password(auth_server, tmp_path):
    # A new session has no controlling terminal, so getpass falls back to standard input.
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env["PORTFOLIO_GRAPH_CONFIG"] = str(tmp_path / "none.ini")
    completed = subprocess.run(
        [CLI, "--uri", auth_server.uri, "--ask-password",
         "query", "RETURN 2 AS two", "--format", "json"],
        input=PASSWORD + "\n", capture_output=True, text=True, env=env, timeout=120, start_new_session=True,
    )
    assert completed.returncode == 0, completed.stderr
    assert '"two": 2' in completed.stdout
    assert_no_secret(completed.stdout, completed.stderr)


# -- wrong or missing passwords --------------------------------------------------------------------


@pytest.mark.neo4j
def test_a_wrong_password_from_the_environment_is_a_clear_error(auth_server, monkeypatch):
    monkeypatch.setenv("NEO4J_PASSWORD", WRONG)
    result = cli(["--uri", auth_server.uri, "stats"])
    assert_clean_failure(result)
    assert "refused the login of user 'neo4j'" in result.output
    assert "unauthorized" in result.output.lower()


@pytest.mark.neo4j
def test_a_wrong_password_at_the_prompt_is_a_clear_error(auth_server):
    result = cli(["--uri", auth_server.uri, "--ask-password", "stats"], input=WRONG + "\n")
    assert_clean_failure(result)
    assert "refused the login" in result.output


@pytest.mark.neo4j
def test_a_wrong_password_in_the_config_file_is_a_clear_error(auth_server, monkeypatch, tmp_path):
    monkeypatch.setenv("PORTFOLIO_GRAPH_CONFIG", str(write_config(tmp_path / "config.ini", WRONG)))
    assert_clean_failure(cli(["--uri", auth_server.uri, "info"]))


@pytest.mark.neo4j
def test_a_wrong_user_is_a_clear_error(auth_server, monkeypatch):
    monkeypatch.setenv("NEO4J_PASSWORD", PASSWORD)
    result = cli(["--uri", auth_server.uri, "--username", "mallory", "info"])
    assert_clean_failure(result)
    assert "user 'mallory'" in result.output


@pytest.mark.neo4j
def test_no_password_at_all_is_a_clear_error(auth_server):
    result = cli(["--uri", auth_server.uri, "info"])
    assert_clean_failure(result)
    assert "no password was given" in result.output


@pytest.mark.neo4j
def test_the_real_command_fails_without_a_traceback(auth_server, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(NEO4J_PASSWORD=WRONG, NEO4J_URI=auth_server.uri, PORTFOLIO_GRAPH_CONFIG=str(tmp_path / "none.ini"))
    completed = subprocess.run([CLI, "stats"],
                               capture_output=True, text=True, env=env, timeout=120)
    assert completed.returncode == 1
    assert completed.stderr.startswith("Error: Neo4j at ")
    assert "Traceback" not in completed.stderr
    assert_no_secret(completed.stdout, completed.stderr)


# -- the config file: refused unless private, and never quoted ------------------------------------


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660, 0o620, 0o606])
def test_a_config_file_others_can_access_is_refused(monkeypatch, tmp_path, mode):
    config = write_config(tmp_path / "config.ini", mode=mode)
    monkeypatch.setenv("PORTFOLIO_GRAPH_CONFIG", str(config))
    result = cli(["--uri", "bolt://127.0.0.1:1", "info"])  # refused before any connection
    assert_clean_failure(result)
    assert f"chmod 600 {config}" in result.output
    assert f"mode {mode:04o}" in result.output
    with pytest.raises(InsecureConfig):
        password_from_config(config)


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_a_config_file_of_another_user_is_refused(tmp_path):
    config = write_config(tmp_path / "config.ini")
    os.chown(config, 65534, -1)
    with pytest.raises(InsecureConfig, match="belongs to another user"):
        password_from_config(config)


@pytest.mark.parametrize("text", [
    f"password = {PASSWORD}\n",  # no section header: configparser would quote this line
    f"[neo4j]\npassword = {PASSWORD}\n  {PASSWORD}x\n[neo4j]\n",  # duplicate section
    f"[neo4j]\n{PASSWORD}\n",  # a line that is not key = value
])
def test_a_malformed_config_file_is_refused_without_quoting_it(monkeypatch, tmp_path, text):
    config = tmp_path / "config.ini"
    config.write_text(text, encoding="utf-8")
    os.chmod(config, 0o600)
    with pytest.raises(ConfigError) as caught:
        password_from_config(config)
    assert str(config) in str(caught.value)
    assert_no_secret(str(caught.value), repr(caught.value))
    assert caught.value.__context__ is None and caught.value.__cause__ is None
    monkeypatch.setenv("PORTFOLIO_GRAPH_CONFIG", str(config))
    result = cli(["--uri", "bolt://127.0.0.1:1", "info"])
    assert_clean_failure(result, exit_code=2)


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_a_config_path_that_is_not_a_file_is_a_clear_error(tmp_path, kind):
    path = tmp_path / "config.ini"
    if kind == "folder":
        path.mkdir(mode=0o700)
    else:
        os.mkfifo(path, 0o600)  # must be refused, not waited on
    with pytest.raises(ConfigError, match="not a regular file"):
        password_from_config(path)


@pytest.mark.neo4j
def test_the_environment_wins_and_the_config_file_is_then_not_read(auth_server, monkeypatch, tmp_path):
    config = write_config(tmp_path / "config.ini", WRONG)
    monkeypatch.setenv("PORTFOLIO_GRAPH_CONFIG", str(config))
    monkeypatch.setenv("NEO4J_PASSWORD", PASSWORD)
    assert cli(["--uri", auth_server.uri, "info"]).exit_code == 0


# -- no --password, no password in a URI ----------------------------------------------------------


def test_there_is_no_password_option():
    result = cli(["--password", PASSWORD, "info"])
    assert result.exit_code == 2
    assert "No such option" in result.output
    help_text = cli(["--help"]).output
    assert "--ask-password" in help_text
    assert not re.search(r"^\s+--password\b", help_text, re.MULTILINE)


def test_ask_password_without_neo4j_is_a_usage_error(tmp_path):
    result = cli(["--db", str(tmp_path / "x.db"), "--ask-password", "info"], input=PASSWORD + "\n")
    assert result.exit_code == 2
    assert "--ask-password is for Neo4j" in result.output


@pytest.mark.parametrize("userinfo", [f"neo4j:{PASSWORD}", f"neo4j:{WRONG}", "neo4j", f"neo4j:{PASSWORD}@x"])
@pytest.mark.parametrize("scheme", ["bolt", "neo4j+s"])
def test_a_uri_with_userinfo_is_refused_without_quoting_it(userinfo, scheme):
    # The driver refuses these too, but its message quotes the whole URI.
    result = cli(["--uri", f"{scheme}://{userinfo}@127.0.0.1:7687", "info"])
    assert_clean_failure(result)
    assert "must not carry a user or password" in result.output
    assert f"{scheme}://127.0.0.1:7687" in result.output


# -- the library: repr, query errors, logging -------------------------------------------------------


@pytest.mark.neo4j
def test_repr_and_errors_of_an_open_backend_hold_no_password(auth_server):
    backend = open_backend(uri=auth_server.uri, password=PASSWORD)
    try:
        assert backend.read("RETURN 1 AS one") == [{"one": 1}]
        texts = [repr(backend), repr(vars(backend)), str(vars(backend))]
        for bad in ("RETURN $x +", "RETURN 1 / 0 AS x", "CALL db.nope()"):
            with pytest.raises(BackendError) as caught:
                backend.read(bad, {"x": 1})
            texts.append(str(caught.value))
        assert_no_secret(*texts)
    finally:
        backend.close()


@pytest.mark.neo4j
def test_connection_failures_hold_no_password(auth_server):
    for uri in (auth_server.uri, "bolt://127.0.0.1:1", "bolt+s://127.0.0.1:1", "nonsense://x"):
        with pytest.raises(BackendError) as caught:
            open_backend(uri=uri, password=WRONG)
        assert_no_secret(str(caught.value), repr(caught.value))


@pytest.mark.neo4j
def test_the_driver_debug_log_holds_no_password(auth_server, caplog):
    caplog.set_level(logging.DEBUG, logger="neo4j")
    with open_backend(uri=auth_server.uri, password=PASSWORD) as backend:
        backend.read("RETURN 1 AS one")
    with pytest.raises(BackendError):
        open_backend(uri=auth_server.uri, password=WRONG)
    messages = [record.getMessage() for record in caplog.records]
    logged = "\n".join(messages)
    # The capture works: the driver logged its login message, with the credentials masked.
    assert re.search(r"C: (HELLO|LOGON)", logged), logged[:2000]
    assert "'credentials': '*******'" in logged
    assert_no_secret(logged, "\n".join(caplog.text.splitlines()))
