"""Logging for `orgbot run`: plain lines a journal or a file can hold, and nothing private.

discord.py at DEBUG logs whole gateway events and request paths: message text (direct
messages included), raw user ids and the tokens of interactions and webhooks. Every record
passes through `Redact` before any handler writes it, at every level.
"""

from __future__ import annotations

import logging
import re
import sys

import discord

FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
# Text a person wrote, and credentials, as they appear in logged payloads and URLs.
_PRIVATE = (
    (re.compile(r'(["\'](?:content|token|value|global_name|username|nick)["\']\s*:\s*)'
                r'(["\'])(?:\\.|(?!\2).)*\2'), r"\1\2<hidden>\2"),
    (re.compile(r"(/(?:interactions|webhooks)/\d+/)[\w.-]+"), r"\1<token>"),
    (re.compile(r"(Bot |Bearer )[\w.-]+"), r"\1<token>"),
    # Discord ids (snowflakes): a user's is personal data, and nothing tells them apart.
    (re.compile(r"(?<![\w.])\d{17,20}(?![\w.])"), "<id>"),
)  # fmt: skip


def redact(text: str) -> str:
    for pattern, replacement in _PRIVATE:
        text = pattern.sub(replacement, text)
    return text


class Redact(logging.Filter):
    """Rewrites each record's message (and its traceback's text) without private data."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = ()
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def setup_logging(level: int) -> None:
    """Plain lines on stderr (no colour codes in a file or journal), all of them redacted."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(Redact())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # The bot never joins voice: discord.py's warning that voice support is missing is noise.
    discord.VoiceClient.warn_nacl = False
