"""Conditions a command checks before it runs, raised as errors the tree's `on_error` words.

Each failure is an `app_commands.CheckFailure`, so the one error handler can answer every
kind of refusal with a friendly, private message and no traceback.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

if TYPE_CHECKING:
    from .client import OrgBot


class OnCooldown(app_commands.CheckFailure):
    def __init__(self, retry_after: float) -> None:
        super().__init__(f"on cooldown for {retry_after:.1f}s")
        self.retry_after = retry_after


class ChannelNotAllowed(app_commands.CheckFailure):
    def __init__(self, allowed: tuple[int, ...]) -> None:
        super().__init__("questions are not answered in this channel")
        self.allowed = allowed


class NotAdmin(app_commands.CheckFailure):
    """The member lacks Manage Server (Discord hides admin commands, but overrides exist)."""


def home_channel_id(channel: object) -> int | None:
    """The channel a setting refers to: a thread counts as its parent channel."""
    if isinstance(channel, discord.Thread):
        return channel.parent_id
    return getattr(channel, "id", None)


async def allowed_here(bot: OrgBot, guild_id: int | None, channel: object) -> tuple[int, ...]:
    """() when questions may be answered in `channel`, else the channels that are allowed."""
    if guild_id is None:
        return ()
    allowed = (await bot.guild_settings.get(guild_id)).allowed_channels
    if not allowed or home_channel_id(channel) in allowed:
        return ()
    return allowed


async def question_allowed(interaction: discord.Interaction[Any]) -> bool:
    """The check on every command that answers questions: allowed channel, then cooldown."""
    await lookup_allowed(interaction)
    bot: OrgBot = interaction.client
    retry_after = await bot.cooldown.spend(interaction.user.id)
    if retry_after:
        raise OnCooldown(retry_after)
    return True


async def lookup_allowed(interaction: discord.Interaction[Any]) -> bool:
    """Page lookups are cheap, so they skip the cooldown but respect allowed channels."""
    bot: OrgBot = interaction.client
    allowed = await allowed_here(bot, interaction.guild_id, interaction.channel)
    if allowed:
        raise ChannelNotAllowed(allowed)
    return True


def is_admin(interaction: discord.Interaction[Any]) -> bool:
    if interaction.guild_id is None or not interaction.permissions.manage_guild:
        raise NotAdmin("You need the Manage Server permission for /kb commands.")
    return True
