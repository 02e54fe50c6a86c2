"""Printing for the terminal: every word orgbot prints is literal text, never rich markup.

Questions, page titles, file paths, settings and error messages can hold `[/bold]`,
`[model]` or `:smile:`; printed as markup they would crash the printer or vanish. So
nothing here takes a markup string: styled pieces are `(text, style)` pairs.
"""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

Piece = str | Text | tuple[str, str]


def line(*pieces: Piece) -> Text:
    """One message from literal pieces: plain strings, `Text`, or `(text, style)` pairs."""
    return Text.assemble(*pieces)


def say(console: Console, *pieces: Piece) -> None:
    """Print one message. In a terminal it wraps at the window's width; piped into a file
    or another program it stays one line, so it can be searched and parsed."""
    console.print(line(*pieces), soft_wrap=not console.is_terminal)


def cell(value: object) -> Text:
    """A table cell shown as written (a plain string cell would be read as markup)."""
    return Text(str(value))
