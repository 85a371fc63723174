"""Messages through gettext: the zh_CN catalogue is complete and compiled, and the language is
chosen by --lang, then $PORTFOLIO_GRAPH_LANG, then the locale, else Chinese."""

from __future__ import annotations

import gettext
import io
from pathlib import Path

import pytest

from portfolio_graph import i18n

SRC = Path(i18n.__file__).resolve().parent
PO = SRC / "locale" / "zh_CN" / "LC_MESSAGES" / "portfolio_graph.po"
MO = PO.with_suffix(".mo")
LOCALE_VARS = ("PORTFOLIO_GRAPH_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")


@pytest.fixture
def clean_env(monkeypatch):
    for name in LOCALE_VARS:
        monkeypatch.delenv(name, raising=False)
    yield monkeypatch
    i18n.set_language(None)


def _catalogue():
    from babel.messages.pofile import read_po

    with PO.open("rb") as handle:
        return read_po(handle)


def _extracted() -> dict[str, str]:
    """Every message id the code passes to _() or ngettext(), with where it is."""
    from babel.messages.extract import extract_from_file

    found: dict[str, str] = {}
    for path in sorted(SRC.rglob("*.py")):
        for line, message, _comments, _context in extract_from_file(
                "python", str(path), keywords={"_": None, "ngettext": (1, 2)}):
            ident = message[0] if isinstance(message, tuple) else message
            found.setdefault(ident, f"{path.relative_to(SRC)}:{line}")
    return found


def test_every_message_in_the_code_has_a_chinese_translation():
    catalogue = _catalogue()
    missing = []
    for ident, where in _extracted().items():
        entry = catalogue.get(ident)
        strings = entry.string if entry is not None else None
        texts = strings if isinstance(strings, tuple) else (strings,)
        if entry is None or entry.fuzzy or not all(texts):
            missing.append(f"{where}: {ident!r}")
    assert not missing, (f"add these to {PO.relative_to(SRC.parent.parent)} and run `make locale`:\n  "
                         + "\n  ".join(missing))


def test_translations_keep_the_placeholders_of_their_message():
    import re

    field = re.compile(r"\{[^{}]*\}")
    for message in _catalogue():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in texts:
            assert sorted(field.findall(text)) == sorted(field.findall(ids[-1])), (message.id, text)


def test_the_committed_mo_matches_the_po():
    from babel.messages.mofile import write_mo

    compiled = io.BytesIO()
    write_mo(compiled, _catalogue())
    compiled.seek(0)
    # The header entry ("") carries the compile date; the messages are what must agree.
    expected = {k: v for k, v in gettext.GNUTranslations(compiled)._catalog.items() if k != ""}
    with MO.open("rb") as handle:
        committed = {k: v for k, v in gettext.GNUTranslations(handle)._catalog.items() if k != ""}
    assert committed == expected, "the .mo is out of date: run `make locale` and commit the .mo"


def test_the_language_comes_from_the_option_then_the_variable_then_the_locale(clean_env):
    assert i18n.current_language() == "zh"  # nothing set
    clean_env.setenv("LANG", "C.UTF-8")
    assert i18n.current_language() == "zh"  # a locale naming no language keeps the default
    clean_env.setenv("LANG", "en_GB.UTF-8")
    assert i18n.current_language() == "en"
    clean_env.setenv("LC_ALL", "zh_CN.UTF-8")
    assert i18n.current_language() == "zh"  # LC_ALL before LANG
    clean_env.setenv("PORTFOLIO_GRAPH_LANG", "en")
    assert i18n.current_language() == "en"
    assert i18n.set_language("zh") == "zh" and i18n.current_language() == "zh"
    clean_env.setenv("PORTFOLIO_GRAPH_LANG", "fr")
    i18n.set_language(None)
    with pytest.raises(i18n.LanguageError, match="'fr' is not one of zh, en"):
        i18n.current_language()


def test_messages_in_both_languages(clean_env):
    i18n.set_language("zh")
    assert i18n._("error") == "错误"
    assert i18n.ngettext("{count} problem found; nothing was written",
                         "{count} problems found; nothing was written", 3).format(count=3) == "发现 3 个问题，未写入任何内容"
    i18n.set_language("en")
    assert i18n._("error") == "error"
    assert i18n.ngettext("{count} problem found; nothing was written",
                         "{count} problems found; nothing was written", 1).format(count=1) == \
        "1 problem found; nothing was written"


def test_the_wheel_carries_the_catalogue():
    import tomllib

    config = tomllib.loads((SRC.parent.parent / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["portfolio_graph"]
    carried = {path for pattern in globs for path in SRC.glob(pattern)}
    assert MO in carried and PO in carried
