"""Asking the knowledge base for one user and rendering the reply: shared by /ask, mentions
and the "more results" button, so all three log, page and render the same way.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from retrieval import Answer, Question

from .render import ButtonSpec, answer_buttons, answer_embed

if TYPE_CHECKING:
    from .client import OrgBot

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Asker:
    """Who asks, where: enough to log a guild question and to pick settings."""

    user_id: int
    lang: str
    guild_id: int | None = None
    channel_id: int | None = None


@dataclass(frozen=True)
class Reply:
    answer: Answer
    embed: dict[str, Any]
    buttons: list[ButtonSpec]
    ref: str


async def answer(
    bot: OrgBot, question: str, asker: Asker, *, ref: str | None = None, offset: int = 0
) -> Reply:
    """Answer `question` (or the next page of it when `ref` and `offset` are given).

    A first answer in a guild is logged (keyed-hash user id) and its row names the buttons;
    in a DM the question is remembered in memory only.
    """
    question = without_mentions(question)
    guild = await bot.guild_settings.get(asker.guild_id) if asker.guild_id else None
    threshold = guild.threshold if guild is not None else None
    result = await bot.kb.ask(
        Question(question, locale=asker.lang, offset=offset, threshold=threshold)
    )
    if ref is None:
        ref = await remember(bot, question, asker, result)
    # The reply speaks the answer's language: the question's own when it is clear.
    buttons = answer_buttons(
        result,
        lang=result.lang,
        ref=ref,
        offset=offset,
        more=result.more,
        organiser=guild is not None and guild.organiser_role_id is not None,
    )
    return Reply(result, answer_embed(result, lang=result.lang, offset=offset), buttons, ref)


_MENTIONS = ((re.compile(r"<@!?\d+>"), "@user"), (re.compile(r"<@&\d+>"), "@role"),
             (re.compile(r"<#\d+>"), "#channel"))  # fmt: skip


def without_mentions(text: str) -> str:
    """The question with user, role and channel mentions replaced by plain words.

    A mention carries a raw Discord id, which must never reach the question log; the words
    also search better than the digits.
    """
    for pattern, word in _MENTIONS:
        text = pattern.sub(word, text)
    return text


async def remember(bot: OrgBot, question: str, asker: Asker, result: Answer) -> str:
    """A reference for the answer's buttons: the question's log row in a guild, else (a DM,
    or a state database that cannot be written right now) a place in memory.

    Answering never depends on logging: a full disk or an unreachable server costs the
    question its place in `/kb gaps` and its vote buttons, not its answer.
    """
    if asker.guild_id is not None:
        try:
            row = await bot.state.log_question(
                guild_id=asker.guild_id,
                channel_id=asker.channel_id,
                user_id=asker.user_id,
                question=question,
                lang=result.lang,
                answered=result.answered,
                top_score=result.citations[0].score if result.citations else None,
                cited=[citation.slug for citation in result.citations],
            )
            return f"q{row:x}"
        except Exception as exc:
            log.warning("could not log a question (%s); answering without it", exc)
    return bot.recent.remember(question, result.lang)


async def recall(bot: OrgBot, ref: str) -> tuple[str, str] | None:
    """The (question, lang) behind a button's reference, or None when it is gone."""
    if ref.startswith("m"):
        return bot.recent.recall(ref)
    logged = await bot.state.question(int(ref[1:], 16))
    return (logged.question, logged.lang) if logged else None
