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
# Text a person wrote, and credentials, as they appear in logged payloads and URLs. The
# bot's own messages repeat the question (an embed's title, a thread's name), so those go too.
_TEXT_KEYS = "content|token|value|global_name|username|nick|title|description|name|text"
_PRIVATE = (
    (re.compile(rf'(["\'](?:{_TEXT_KEYS})["\']\s*:\s*)(["\'])(?:\\.|(?!\2).)*\2'),
     r"\1\2<hidden>\2"),
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
    """Rewrites each record's message (and its traceback's text) without private data.

    A warning keeps its exception as one line: a traceback is for errors, not for a server
    that is restarting and will be retried.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        error = record.exc_info[1] if record.exc_info else None
        if error is not None and record.levelno < logging.ERROR:
            message = f"{message} ({type(error).__name__}: {error})"
        elif error is not None and record.exc_info:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        record.msg, record.args, record.exc_info = redact(message), (), None
        return True


def setup_logging(level: int) -> None:
    """Plain lines on stderr (no colour codes in a file or journal), all of them redacted."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(Redact())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # aiosqlite at DEBUG logs every statement with its parameters: questions, in plain text.
    logging.getLogger("aiosqlite").setLevel(max(level, logging.INFO))
    # The bot never joins voice: discord.py's warnings that voice support is missing (PyNaCl,
    # davey) are noise.
    discord.VoiceClient.warn_nacl = False
    discord.VoiceClient.warn_dave = False
