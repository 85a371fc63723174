"""The root click group, its global options, and how errors become exit codes."""

from __future__ import annotations

import math
import sys
from typing import Any

import click

from ..errors import InputError, PortfolioGraphError
from ..i18n import LANG_ENV, LANGUAGES, LanguageError, _, set_language
from ..portfolio import Portfolio

DEBUG_ENV = "PORTFOLIO_GRAPH_DEBUG"


class Failure(click.ClickException):
    """A library error as click shows it: ``Error: <message>`` and the error's exit code."""

    def __init__(self, exc: PortfolioGraphError):
        super().__init__(str(exc))
        self.exit_code = exc.exit_code

    def show(self, file: Any = None) -> None:
        click.echo(_("Error: {message}").format(message=self.format_message()), err=True, file=file)


class AppContext:
    def __init__(self, db: str | None, uri: str | None, database: str | None, username: str | None,
                 ask_password: bool = False):
        self.db, self.uri, self.database, self.username = db, uri, database, username
        self.ask_password = ask_password
        self._portfolio: Portfolio | None = None

    @property
    def portfolio(self) -> Portfolio:
        if self._portfolio is None:
            settings: dict[str, Any] = {}
            if self.database:
                settings["database"] = self.database
            if self.username:
                settings["username"] = self.username
            if self.ask_password and self.uri:
                # Asked only when a command actually connects; typed input is not echoed, and the
                # prompt goes to stderr so that stdout stays clean for --format json/csv.
                settings["password"] = click.prompt("Neo4j password", hide_input=True, err=True)
            self._portfolio = Portfolio.open(db=self.db, uri=self.uri, **settings)
        return self._portfolio

    def close(self) -> None:
        if self._portfolio is not None:
            self._portfolio.close()
            self._portfolio = None


class PortfolioGroup(click.Group):
    """Turns the library's errors (``PortfolioGraphError``) into one clear line and their exit
    code. Anything else is a bug: a short "internal error, please report" line, or with
    ``--debug`` the traceback."""

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        # One invocation's --lang must not leak into the next one in the same process (tests, notebooks).
        set_language(None)
        return super().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise  # click's own control flow (Exit is a RuntimeError, so it must pass first)
        except BrokenPipeError:
            # The reader (`| head`) went away: stop quietly, as Unix tools do.
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(0)
        except PortfolioGraphError as exc:
            raise Failure(exc) from None
        except Exception as exc:
            if ctx.params.get("debug"):
                raise  # click leaves non-click exceptions alone: Python prints the traceback
            click.echo(internal_error_message(exc), err=True)
            ctx.exit(EXIT_INTERNAL)


EXIT_INTERNAL = 1


def internal_error_message(exc: BaseException) -> str:
    what = f"{type(exc).__name__}: {exc}"
    return _("internal error ({what}). This is a bug in portfolio-graph; please report it with the "
             "traceback that the same command prints with --debug (portfolio-graph --debug ..., "
             "or {env}=1).").format(what=f"{what:.300}", env=DEBUG_ENV)


def _choose_language(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None:
        try:
            set_language(value)
        except LanguageError as exc:
            raise click.BadParameter(str(exc)) from None
    return value


def language_option(func):
    """``--lang zh|en``: the language of titles and messages (default $PORTFOLIO_GRAPH_LANG, else
    the locale, else zh). Given before the command or after it: the later one wins."""
    return click.option(
        "--lang", type=click.Choice(LANGUAGES), callback=_choose_language, expose_value=False, is_eager=True,
        help=f"Language of titles and messages: zh or en (default ${LANG_ENV}, else the locale, else zh).",
    )(func)


@click.group(cls=PortfolioGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", type=click.Path(dir_okay=True, file_okay=False), envvar="PORTFOLIO_GRAPH_DB",
              help="Embedded database folder (default: $PORTFOLIO_GRAPH_DB or ~/.local/share/portfolio-graph/portfolio.db).")
@click.option("--uri", envvar="NEO4J_URI", help="Neo4j URI (bolt://, neo4j://, neo4j+s://); default $NEO4J_URI.")
@click.option("--database", envvar="NEO4J_DATABASE", help="Neo4j database name; default $NEO4J_DATABASE.")
@click.option("--username", envvar="NEO4J_USERNAME", help="Neo4j user; default $NEO4J_USERNAME.")
@click.option("--ask-password", is_flag=True,
              help="Prompt for the Neo4j password (input hidden). Otherwise it comes from $NEO4J_PASSWORD "
                   "or the [neo4j] password in a mode-600 config file ($PORTFOLIO_GRAPH_CONFIG, default "
                   "~/.config/portfolio-graph/config.ini). There is no --password option: command lines "
                   "are visible to other users.")
@click.option("--debug", is_flag=True, envvar=DEBUG_ENV,
              help="Show the traceback of an internal error (a bug) instead of a one-line notice.")
@language_option
@click.version_option(package_name="portfolio-graph")
@click.pass_context
def main(ctx: click.Context, db: str | None, uri: str | None, database: str | None, username: str | None,
         ask_password: bool, debug: bool) -> None:
    """Load a district's development portfolio into a graph and ask it planning questions."""
    if db and uri and ctx.get_parameter_source("uri") == click.core.ParameterSource.COMMANDLINE \
            and ctx.get_parameter_source("db") == click.core.ParameterSource.COMMANDLINE:
        raise click.UsageError("give either --db or --uri, not both")
    if db and ctx.get_parameter_source("db") == click.core.ParameterSource.COMMANDLINE:
        uri = None  # an explicit --db wins over NEO4J_URI from the environment
    if ask_password and not uri:
        raise click.UsageError("--ask-password is for Neo4j: give --uri or set NEO4J_URI")
    app = AppContext(db, uri, database, username, ask_password)
    ctx.obj = app
    ctx.call_on_close(app.close)


def parse_params(pairs: tuple[str, ...]) -> dict[str, Any]:
    """``-p key=value`` pairs; values that read as JSON numbers, booleans or null are typed.
    What the engines cannot take (a NUL, a number beyond 64 bits…) the library refuses
    (``graph.params.describe_unusable``), the same for a notebook as for the command line."""
    import json

    params: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key.strip():
            raise InputError(f"parameter {pair!r:.80} is not key=value")
        try:
            # NaN and Infinity are not JSON: left as text ("-p name=NaN" means the word).
            value = json.loads(raw, parse_constant=_not_a_constant)
            if not isinstance(value, (int, float, bool)) and value is not None:
                value = raw
        except ValueError:
            value = raw
        if isinstance(value, float) and not math.isfinite(value):
            # 1e400 reads as infinity: the number written is too large, not the word "Infinity".
            raise InputError(f"parameter {key.strip()!r:.40}: {raw!r:.40} is too large a number")
        params[key.strip()] = value
    return params


def _not_a_constant(name: str) -> Any:
    raise ValueError(name)
