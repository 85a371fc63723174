"""The language people read: Chinese by default, English on request, through gettext.

Message ids are the English text; ``locale/zh_CN/LC_MESSAGES/portfolio_graph.po`` holds the
Chinese, compiled to the ``.mo`` next to it (both are committed and shipped as package data; a
test fails when the ``.mo`` is older than the ``.po``: run ``make locale`` after editing it).

The language is chosen once per process, in this order: ``set_language()`` (the CLI's
``--lang``), ``$PORTFOLIO_GRAPH_LANG``, the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``,
``LANGUAGE``), else Chinese. A locale that names neither language (``C``, ``POSIX``, ``de_DE``)
does not count: the default stays Chinese.

Wrap every message a person reads in ``_()`` at the moment it is made, never at import time, so
the language chosen on the command line applies::

    from portfolio_graph.i18n import _
    raise InputError(_("no report named {name!r}").format(name=name))

Put placeholders in with ``.format()`` after translating (an f-string would be translated
after its values are filled in, and no catalogue entry would match).
"""

from __future__ import annotations

import gettext
import os
from functools import lru_cache
from pathlib import Path

from .errors import InputError

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
LANG_ENV = "PORTFOLIO_GRAPH_LANG"
DOMAIN = "portfolio_graph"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LOCALE_ENVS = ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")
# gettext's catalogue name for each language; English is the message ids themselves.
CATALOGUES = {"zh": "zh_CN", "en": None}

_chosen: str | None = None


class LanguageError(InputError):
    """A language that is not one of LANGUAGES; the message names the ones there are."""


def normalise_language(value: str) -> str | None:
    """``zh``, ``zh_CN.UTF-8``, ``zh-Hans``, ``en_US`` → ``zh`` / ``en``; anything else → None."""
    text = (value or "").strip().lower().replace("-", "_")
    for language in LANGUAGES:
        if text == language or text.startswith(language + "_") or text.startswith(language + "."):
            return language
    return None


def check_language(value: str) -> str:
    language = normalise_language(value)
    if language is None:
        raise LanguageError(f"language {value!r} is not one of {', '.join(LANGUAGES)}")
    return language


def language_from_environment() -> str:
    """The language $PORTFOLIO_GRAPH_LANG or the locale asks for, else Chinese."""
    explicit = os.environ.get(LANG_ENV, "").strip()
    if explicit:
        return check_language(explicit)
    for name in LOCALE_ENVS:
        for part in os.environ.get(name, "").split(":"):  # LANGUAGE may list several
            language = normalise_language(part)
            if language:
                return language
    return DEFAULT_LANGUAGE


def set_language(language: str | None) -> str | None:
    """Choose the language for this process; None goes back to the environment's choice."""
    global _chosen
    _chosen = check_language(language) if language else None
    return _chosen


def current_language() -> str:
    return _chosen or language_from_environment()


@lru_cache(maxsize=None)
def translations(language: str) -> gettext.NullTranslations:
    catalogue = CATALOGUES[check_language(language)]
    if catalogue is None:
        return gettext.NullTranslations()
    # fallback=False: a package without its .mo is a packaging bug, and the tests say so; at run
    # time the English ids are still better than a crash.
    return gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[catalogue], fallback=True)


def _(message: str) -> str:
    """``message`` in the chosen language."""
    return translations(current_language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return translations(current_language()).ngettext(singular, plural, count)


def pick(zh: str, en: str, language: str | None = None) -> str:
    """One of two texts written side by side (report titles, column titles): ``zh`` or ``en``,
    falling back to the other when the chosen one is empty."""
    if (language or current_language()) == "en":
        return en or zh
    return zh or en


__all__ = ["_", "ngettext", "pick", "set_language", "current_language", "language_from_environment",
           "check_language", "LANGUAGES", "LANG_ENV", "LanguageError"]
