"""Help texts as they are written in the docstrings and `help=`, for every command.

Typer reads help as rich markup, so a hint such as `[answer] threshold` would vanish and a
stray `[/b]` would crash `--help`. `polish()` escapes every help text and then styles what
the text marks itself: `code` in backticks and indented example lines are bold. It also
rejoins the lines of each paragraph, and drops the `<bool>` label typer gives every flag
(a flag takes no value, so naming its type only confuses).
"""

from __future__ import annotations

import inspect
import re

import typer
from rich.markup import escape
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

_CODE = re.compile(r"`([^`\n]+)`")


def polish(command: TyperCommand | TyperGroup, help_option_names: list[str]) -> None:
    """Polish `command`'s help and its parameters', and the same for every subcommand."""
    if command.help:
        command.help = help_text(command.help)
    for param in command.params:
        if isinstance(param, TyperOption | TyperArgument) and param.help:
            param.help = help_text(param.help)
        if isinstance(param, TyperOption) and param.is_flag:
            param.metavar = ""
    # The help option is made on demand from the context's names; made here once (and kept
    # by the command), it can lose its label too.
    help_option = command.get_help_option(
        typer.Context(command, help_option_names=help_option_names)
    )
    if help_option is not None:
        help_option.metavar = ""
    if isinstance(command, TyperGroup):
        for sub in command.commands.values():
            if isinstance(sub, TyperCommand | TyperGroup):
                polish(sub, help_option_names)


def help_text(text: str) -> str:
    """`text` as rich markup that shows it as written, paragraphs joined into one line each."""
    return "\n\n".join(_paragraph(block) for block in inspect.cleandoc(text).split("\n\n"))


def _paragraph(block: str) -> str:
    lines = block.split("\n")
    if not any(line.startswith(" ") for line in lines):
        return _styled(" ".join(lines))
    # Indented lines are examples: kept line by line, in bold. The tag goes before the
    # indent because typer dedents the text again, and a line that starts with `[` has no
    # indent to lose.
    return "\n".join(
        f"[bold]{_styled(line)}[/bold]" if line.startswith(" ") else _styled(line) for line in lines
    )


def _styled(text: str) -> str:
    return _CODE.sub(r"[bold]\1[/bold]", escape(text))
