"""The one place the bot turns a failure into words for the person who hit it.

Slash commands (the tree's `on_error`), buttons (`ClickButton`) and mentions all end here, so
every refusal and every fault is answered the same way, privately, in the asker's language,
and only the unexpected ones are logged with their traceback.
"""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands

from retrieval import IndexNotReady

from .checks import ChannelNotAllowed, NotAdmin, OnCooldown
from .i18n import lang_for_locale, t
from .respond import tell
from .state import StateUnavailable

log = logging.getLogger(__name__)


def explain(error: BaseException, lang: str, where: str) -> str:
    """What to tell the asker about `error`, in `lang`; unexpected errors are logged here.

    `where` names what failed (a command, a button, a message) for the log.
    """
    if isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    if isinstance(error, OnCooldown):
        return t("cooldown", lang, seconds=max(1, round(error.retry_after)))
    if isinstance(error, ChannelNotAllowed):
        channels = ", ".join(f"<#{channel}>" for channel in error.allowed[:10])
        return t("channel_not_allowed", lang, channels=channels)
    if isinstance(error, NotAdmin):
        return t("not_admin", lang)
    if isinstance(error, app_commands.CheckFailure):
        return t("not_here", lang)
    if isinstance(error, IndexNotReady):
        log.error("index not ready: %s", error)
        return t("not_built", lang)
    if isinstance(error, StateUnavailable):
        # The state server restarting or a full disk: one line, no traceback; it passes.
        log.warning("%s failed: %s", where, error)
        return t("state_unavailable", lang)
    log.error("error in %s", where, exc_info=error)
    return t("error", lang)


async def report_error(interaction: discord.Interaction[Any], error: Exception) -> None:
    """Answer a failed command or button with a short private message."""
    data: dict[str, Any] = dict(interaction.data or {})
    source = data.get("name") or data.get("custom_id") or interaction.type.name
    where = f"{source} (interaction {interaction.id})"
    message = explain(error, lang_for_locale(interaction.locale), where)
    try:
        await tell(interaction, message)
    except discord.HTTPException:
        # Too late to answer (token expired, message gone): the log above is all we can do.
        log.warning("could not tell the user about an error in interaction %s", interaction.id)
