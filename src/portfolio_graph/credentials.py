"""Where a Neo4j password may come from besides the environment: a config file only its owner
can read. A file that others can read is refused rather than trusted.

The file is INI, by default ``~/.config/portfolio-graph/config.ini`` (or ``$PORTFOLIO_GRAPH_CONFIG``)::

    [neo4j]
    password = ...

Nothing here ever puts the password, or a line of the file, into a message.
"""

from __future__ import annotations

import configparser
import os
import stat
from pathlib import Path

from .errors import InputError, PortfolioGraphError

CONFIG_ENV = "PORTFOLIO_GRAPH_CONFIG"


class InsecureConfig(PortfolioGraphError, PermissionError):
    """The config file could be read (or changed) by someone other than its owner."""


class ConfigError(InputError):
    """The config file cannot be used: not a file, unreadable, or not valid INI."""


def config_path() -> Path:
    if os.environ.get(CONFIG_ENV):
        return Path(os.environ[CONFIG_ENV]).expanduser()
    config_home = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return config_home / "portfolio-graph" / "config.ini"


def password_from_config(path: Path | None = None) -> str | None:
    """The ``password`` in the ``[neo4j]`` section, if the file exists and is private (0600).

    The permissions are checked on the open file itself (``fstat``), so the file that is read is
    the file that was checked, even if someone swaps it in between.
    """
    path = Path(path) if path is not None else config_path()
    try:
        # O_NONBLOCK: a FIFO put in the file's place must not hang us; it is refused below.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigError(f"cannot read the config file {path}: {exc.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ConfigError(f"the config file {path} is not a regular file")
        mode = stat.S_IMODE(info.st_mode)
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise InsecureConfig(
                f"the config file {path} holds a password but others can access it (mode {mode:04o}); "
                f"run: chmod 600 {path}"
            )
        if info.st_uid != os.geteuid():
            raise InsecureConfig(
                f"the config file {path} holds a password but belongs to another user (uid {info.st_uid}); "
                "use a file of your own with mode 600"
            )
        with os.fdopen(os.dup(fd), "rb") as handle:
            raw = handle.read()
    finally:
        os.close(fd)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(f"the config file {path} is not UTF-8 text") from None
    parser = configparser.ConfigParser(interpolation=None)
    problem: configparser.Error | None = None
    try:
        parser.read_string(text, source=str(path))
    except configparser.Error as exc:
        problem = exc
    if problem is not None:
        # configparser's messages quote the offending line, which may be the password itself;
        # raised outside the except block so the original is not kept as __context__ either.
        line = getattr(problem, "lineno", None)
        if line is None and getattr(problem, "errors", None):
            line = problem.errors[0][0]
        where = f" (line {line})" if line else ""
        del problem
        raise ConfigError(
            f"the config file {path} is not valid INI{where}; expected a [neo4j] section with password = ..."
        )
    return parser.get("neo4j", "password", fallback=None)
