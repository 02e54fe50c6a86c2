"""`orgbot` command line: importing this registers every command group."""

from __future__ import annotations

from . import ask as _ask  # noqa: F401  (registers commands)
from . import chat as _chat  # noqa: F401
from . import content as _content  # noqa: F401
from . import discord as _discord  # noqa: F401
from . import evaluate as _evaluate  # noqa: F401
from . import hosts as _hosts  # noqa: F401
from . import index as _index  # noqa: F401
from . import model as _model  # noqa: F401
from . import state as _state  # noqa: F401
from . import summarize as _summarize  # noqa: F401
from .app import app


def main() -> None:
    app()
