"""The `orgbot` command tree. Each command group lives in its own module and registers here.

Domain errors (`OrgbotError`) from any command become one clean line here, in the root
group, so no command catches them itself and none ends in a traceback.
"""

from __future__ import annotations

import inspect
import logging
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup

from retrieval import OrgbotError

from ..settings import Settings, load_settings


class OrgbotGroup(TyperGroup):
    """The root command group: turns any `OrgbotError` a command raises into `fail()`."""

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
        'Start with [bold]orgbot ask "how do I run a one-to-one?"[/bold]; maintainers use '
        "[bold]orgbot content lint[/bold] and [bold]orgbot index build[/bold]."
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
content_app = typer.Typer(
    help="Check, import and summarise the wiki pages in content/.", no_args_is_help=True
)
index_app = typer.Typer(help="Build and inspect the search index.", no_args_is_help=True)
model_app = typer.Typer(help="Prepare the embedding model.", no_args_is_help=True)
app.add_typer(content_app, name="content")
app.add_typer(index_app, name="index")
app.add_typer(model_app, name="model")

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


def tidy_help(group: typer.Typer) -> None:
    """Rejoin wrapped docstring lines into paragraphs for every command's help.

    Rich help keeps each line break as written; indented lines (examples) stay as they are.
    """
    for command in group.registered_commands:
        if command.callback is not None and command.callback.__doc__:
            command.callback.__doc__ = _paragraphs(command.callback.__doc__)
    for subgroup in group.registered_groups:
        if subgroup.typer_instance is not None:
            tidy_help(subgroup.typer_instance)


def _paragraphs(doc: str) -> str:
    blocks = inspect.cleandoc(doc).split("\n\n")
    return "\n\n".join(
        block
        if any(line.startswith(" ") for line in block.split("\n"))
        else " ".join(block.split("\n"))
        for block in blocks
    )


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
            err_console.print(
                f"[yellow]warning:[/yellow] {escape(message)}", highlight=False, soft_wrap=True
            )


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

    The message is printed as written (`[yaml]` in a finding is text, not Rich markup) and
    never wrapped, so each of its lines stays one line for a terminal, a log or a grep.
    """
    err_console.print(
        f"[bold red]error:[/bold red] {escape(message)}", highlight=False, soft_wrap=True
    )
    raise typer.Exit(code)


def plural(count: int, word: str, many: str | None = None) -> str:
    """`word` for one, `many` (default: `word` + "s") for any other count."""
    return word if count == 1 else many or f"{word}s"


def state(ctx: typer.Context) -> State:
    obj = ctx.find_root().obj
    assert isinstance(obj, State)
    return obj


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
) -> None:
    ctx.obj = State(config)
    show_warnings()
