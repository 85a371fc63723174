"""Rule profiles: YAML files that set the 序时 base, the thresholds and the escalation of the lights.

The built-in profiles live in ``schedule/profiles/``. A user folder (``$PORTFOLIO_GRAPH_PROFILES``,
folders separated by ``:``) wins over a built-in file of the same name, and a profile may also be
given as a file path (``--profile FILE`` / ``-p profile=FILE.yaml``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError

BUILTIN_DIR = Path(__file__).with_name("profiles")
PROFILES_ENV = "PORTFOLIO_GRAPH_PROFILES"
DEFAULT = "default"


class ProfileError(InputError):
    """A profile that cannot be found or read; the message names the file and the key."""


@dataclass(frozen=True)
class InvestmentRule:
    min_plan_wan: float = 0.0
    min_plan_inclusive: bool = False
    measure: str = "points"  # points | relative
    yellow_from: float = 10.0
    yellow_inclusive: bool = True
    red_from: float = 30.0
    red_inclusive: bool = False


@dataclass(frozen=True)
class StartRule:
    yellow_from_months: int = 0
    red_from_months: int = 3


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    description: str
    basis: str  # phased | linear
    investment: InvestmentRule | None
    start: StartRule | None
    done_words: tuple[str, ...]
    yellow_months: int | None  # raw yellow months in a row that make a red; None: no escalation
    path: Path | None = None

    @property
    def window(self) -> int:
        """How many months (this one included) a light looks at."""
        return max(1, self.yellow_months or 1)


def profile_dirs() -> list[Path]:
    extra = [Path(p) for p in os.environ.get(PROFILES_ENV, "").split(os.pathsep) if p]
    return extra + [BUILTIN_DIR]


def list_profiles() -> list[Profile]:
    seen: dict[str, Profile] = {}
    for folder in profile_dirs():
        for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else ():
            seen.setdefault(path.stem, read_profile(path))
    return sorted(seen.values(), key=lambda p: (p.name != DEFAULT, p.name))


def _is_file(path: Path) -> bool:
    """False, not an OSError, for a name no file can have (too long, say)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def get_profile(name_or_path: str | os.PathLike[str] | Profile | None = None) -> Profile:
    """A profile by name (user folders first, then the built-ins) or from a YAML file."""
    if isinstance(name_or_path, Profile):
        return name_or_path
    text = str(name_or_path or DEFAULT)
    if text.endswith((".yaml", ".yml")) or os.sep in text:
        path = Path(text)
        if not _is_file(path):
            raise ProfileError(f"profile file {text!r:.200} does not exist")
        return read_profile(path)
    for folder in profile_dirs():
        path = folder / f"{text}.yaml"
        if _is_file(path):
            return read_profile(path)
    known = ", ".join(p.name for p in list_profiles())
    raise ProfileError(f"no rule profile named {text!r:.60}; known: {known} (or give a .yaml file)")


def read_profile(path: Path) -> Profile:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ProfileError(f"{path}: cannot read the profile: {exc}") from None
    if not isinstance(data, dict):
        raise ProfileError(f"{path}: a profile is a YAML mapping (name:, basis:, investment:, ...)")
    return _profile(data, path)


_TOP = {"name", "title", "description", "basis", "investment", "start", "done_words", "escalation"}


def _profile(data: dict[str, Any], path: Path) -> Profile:
    def fail(message: str) -> ProfileError:
        return ProfileError(f"{path}: {message}")

    unknown = sorted(set(map(str, data)) - _TOP)
    if unknown:
        raise fail(f"unknown keys {', '.join(unknown)}; known: {', '.join(sorted(_TOP))}")
    basis = data.get("basis", "phased")
    if basis not in ("phased", "linear"):
        raise fail("basis must be phased or linear")
    investment = _section(data, "investment", InvestmentRule, fail)
    if investment is not None and investment.measure not in ("points", "relative"):
        raise fail("investment.measure must be points or relative")
    start = _section(data, "start", StartRule, fail)
    words = data.get("done_words", ["竣工", "投产", "已完成"])
    if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
        raise fail("done_words must be a list of words")
    escalation = data.get("escalation") or {}
    if not isinstance(escalation, dict) or set(escalation) - {"yellow_months"}:
        raise fail("escalation takes yellow_months: N (or null)")
    months = escalation.get("yellow_months")
    if months is not None and (not isinstance(months, int) or isinstance(months, bool) or not 2 <= months <= 12):
        raise fail("escalation.yellow_months must be a whole number from 2 to 12, or null")
    return Profile(str(data.get("name") or path.stem), str(data.get("title") or path.stem),
                   " ".join(str(data.get("description") or "").split()), basis, investment, start,
                   tuple(words), months, path)


def _section(data: dict[str, Any], key: str, kind: type, fail: Any) -> Any:
    if key in data and data[key] is None:
        return None  # the rule is switched off
    raw = data.get(key) or {}
    if not isinstance(raw, dict):
        raise fail(f"{key} must be a mapping, or null to switch the rule off")
    fields = kind.__dataclass_fields__
    unknown = sorted(set(map(str, raw)) - set(fields))
    if unknown:
        raise fail(f"{key}: unknown keys {', '.join(unknown)}; known: {', '.join(fields)}")
    values = {}
    for name, value in raw.items():
        default = fields[name].default
        expected = (int, float) if isinstance(default, (int, float)) and not isinstance(default, bool) else type(default)
        if isinstance(value, bool) != isinstance(default, bool) or not isinstance(value, expected):
            raise fail(f"{key}.{name} must be {type(default).__name__}, not {value!r:.40}")
        values[name] = value
    return kind(**values)


__all__ = ["DEFAULT", "PROFILES_ENV", "Profile", "ProfileError", "get_profile", "list_profiles", "read_profile"]
