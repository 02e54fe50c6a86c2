"""The one base of every error orgbot raises on purpose.

A domain error's message is written for the person who has to act on it: what is wrong,
where, and the command or setting that fixes it. Front ends print it as it is, in one place
(the CLI's command group, the bot's error handler); anything else is a bug and is logged.
"""

from __future__ import annotations


class OrgbotError(Exception):
    """Something a maintainer or operator can fix; `str(error)` says how."""


def first_line(error: BaseException) -> str:
    """An error's first line: faiss, SQLite, onnxruntime and torch messages can run to a whole
    report, and a message for a person names the reason in one line."""
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]
