"""Where a Neo4j password may come from besides the environment: a config file only its owner
can read. A file that others can read is refused rather than trusted."""

from __future__ import annotations

import configparser
import os
import stat
from pathlib import Path

CONFIG_ENV = "PORTFOLIO_GRAPH_CONFIG"


class InsecureConfig(PermissionError):
    pass


def config_path() -> Path:
    if os.environ.get(CONFIG_ENV):
        return Path(os.environ[CONFIG_ENV]).expanduser()
    config_home = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return config_home / "portfolio-graph" / "config.ini"


def password_from_config(path: Path | None = None) -> str | None:
    """The ``password`` in the ``[neo4j]`` section, if the file exists and is private (0600)."""
    path = path or config_path()
    if not path.exists():
        return None
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise InsecureConfig(
            f"{path} is readable by others (mode {mode:o}); run: chmod 600 {path}"
        )
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(path, encoding="utf-8")
    return parser.get("neo4j", "password", fallback=None)
