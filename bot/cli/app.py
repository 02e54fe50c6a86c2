"""The `orgbot` command tree. Each command group lives in its own module and registers here.

Domain errors (`OrgbotError`) from any command become one clean line here, in the root
group, so no command catches them itself and none ends in a traceback.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from typer.core import TyperGroup

from retrieval import OrgbotError, __version__

from ..settings import Settings, load_settings
from .help import polish
from .output import say

HELP_OPTION_NAMES = ["-h", "--help"]


class OrgbotGroup(TyperGroup):
    """The root command group: turns any `OrgbotError` a command raises into `fail()`.

    Typer builds it, with every command under it, each time the app runs; the help of the
    whole tree is polished when it starts (typer adds the completion options after building
    the group, so not sooner), and only once, since escaping twice would show the escapes.
    """

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.help_polished = False

    def main(self, *args: Any, **kwargs: Any) -> Any:
        if not self.help_polished:
            polish(self, HELP_OPTION_NAMES)
            self.help_polished = True
        return super().main(*args, **kwargs)

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except OrgbotError as exc:
            fail(str(exc))


app = typer.Typer(
    cls=OrgbotGroup,
    name="orgbot",
    help=(
        "Answer organising questions from a wiki of methods, case studies and sources.\n\n"
        'Start with `orgbot ask "how do I run a one-to-one?"` or `orgbot chat`; maintainers '
        "use `orgbot content lint` and `orgbot index build`."
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": HELP_OPTION_NAMES},
)
content_app = typer.Typer(
    help="Check, import and summarise the wiki pages in content/.", no_args_is_help=True
)
index_app = typer.Typer(help="Build and inspect the search index.", no_args_is_help=True)
model_app = typer.Typer(help="Prepare the embedding model.", no_args_is_help=True)
state_app = typer.Typer(help="Back up and restore the bot's state.", no_args_is_help=True)
app.add_typer(content_app, name="content")
app.add_typer(index_app, name="index")
app.add_typer(model_app, name="model")
app.add_typer(state_app, name="state")

console = Console()
err_console = Console(stderr=True)


class State:
    """What every command needs: the settings file chosen on the command line."""

    def __init__(self, config: Path | None) -> None:
        self.config = config
        self._settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(self.config)
        return self._settings


class WarningsOnce(logging.Handler):
    """Retrieval's warnings (a damaged fast-start copy it worked around, say) shown to whoever
    runs a command, once each, as one line on stderr. `orgbot run` logs them instead."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.shown: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message not in self.shown:
            self.shown.add(message)
            say(err_console, ("warning:", "yellow"), " ", message)


WARNINGS = WarningsOnce()


def show_warnings(on: bool = True) -> None:
    """Show retrieval's warnings on the terminal from now on (once each), or stop."""
    logger = logging.getLogger("retrieval")
    WARNINGS.shown.clear()
    if on and WARNINGS not in logger.handlers:
        logger.addHandler(WARNINGS)
    elif not on:
        logger.removeHandler(WARNINGS)


def fail(message: str, code: int = 2) -> NoReturn:
    """Print a one-line error (no traceback) and stop with `code`.

    The message is printed as written: it often quotes a path, a setting such as
    `[model] name` or the user's own words.
    """
    say(err_console, ("error:", "bold red"), " ", message)
    raise typer.Exit(code)


def plural(count: int, word: str, many: str | None = None) -> str:
    """`word` for one, `many` (default: `word` + "s") for any other count."""
    return word if count == 1 else many or f"{word}s"


def state(ctx: typer.Context) -> State:
    obj = ctx.find_root().obj
    assert isinstance(obj, State)
    return obj


def show_version(wanted: bool) -> None:
    if wanted:
        say(console, f"orgbot {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            "-c",
            help="Settings file (default: config/orgbot.toml, or $ORGBOT_CONFIG).",
            dir_okay=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            help="Show the version and exit.",
            callback=show_version,
            is_eager=True,
        ),
    ] = False,
) -> None:
    ctx.obj = State(config)
    show_warnings()
