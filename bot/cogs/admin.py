"""/kb status | reload | gaps | settings, for people with Manage Server.

Discord hides the group from others by default (`default_permissions`), and the cog checks
again at run time, because server admins can grant command access to any role.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.checks import is_admin
from bot.render.admin import gaps_embed, settings_embed, status_embed
from bot.respond import NO_MENTIONS, tell, to_embed
from bot.state import GuildSettings
from retrieval import IndexNotReady

if TYPE_CHECKING:
    from bot.client import OrgBot


class Admin(commands.Cog):
    kb = app_commands.Group(
        name="kb",
        description="Look after the knowledge base on this server",
        default_permissions=discord.Permissions(manage_guild=True),
        guild_only=True,
    )

    def __init__(self, bot: OrgBot) -> None:
        self.bot = bot

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        return is_admin(interaction)

    async def _show(self, interaction: discord.Interaction[Any], embed: dict[str, Any]) -> None:
        await interaction.response.send_message(
            embed=to_embed(embed), ephemeral=True, allowed_mentions=NO_MENTIONS
        )

    @kb.command(name="status")
    async def status(self, interaction: discord.Interaction[OrgBot]) -> None:
        """Which index build is answering: its id, age, model and size."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        status = await self.bot.kb.status()
        embed = status_embed(status, dt.datetime.now(dt.UTC), self.bot.kb.batches)
        await interaction.edit_original_response(embed=to_embed(embed))

    @kb.command(name="reload")
    async def reload(self, interaction: discord.Interaction[OrgBot]) -> None:
        """Switch to the newest index build without restarting the bot."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        serving = self.bot.kb.build_id
        if self.bot.builds is not None:  # hosts share builds: this one and all the others
            result = await self.bot.builds.reload_everywhere()
            if result.problem:
                text = (
                    f"Could not switch: {result.problem}. Build `{serving}` is still "
                    "answering; publish a good build with `orgbot index publish`."
                )
                await interaction.edit_original_response(content=text)
                return
            switched, build = result.switched, result.build_id
        else:
            try:
                reload = await self.bot.kb.reload()
            except IndexNotReady as exc:
                text = f"Could not switch: {exc}. Build `{serving}` is still answering."
                await interaction.edit_original_response(content=text)
                return
            switched, build = reload.switched, reload.build_id
        text = (
            f"Switched to build `{build}`."
            if switched
            else f"Already on the newest build `{build}`."
        )
        await interaction.edit_original_response(content=text)

    @kb.command(name="gaps")
    @app_commands.describe(days="How far back to look (default 30)")
    async def gaps(
        self, interaction: discord.Interaction[OrgBot], days: app_commands.Range[int, 1, 3650] = 30
    ) -> None:
        """The questions asked most often that the wiki could not answer, or that got 👎."""
        assert interaction.guild_id is not None
        found = await self.bot.state.gaps(interaction.guild_id, days)
        await self._show(interaction, gaps_embed(found, days))

    @kb.command(name="settings")
    @app_commands.describe(
        public="Show answers to everyone by default (otherwise only to the asker)",
        threshold="How sure retrieval must be to answer (0–1; higher answers less)",
        organiser_role="The role the 'ask an organiser' button mentions",
        clear_organiser_role="Remove the organiser role (hides the button)",
        thread_mode="Answer mentions in a new thread (otherwise in place)",
        retention_days="Days to keep the question log (at most the bot's own limit)",
        allow_channel="Also answer questions in this channel",
        disallow_channel="Stop answering in this channel",
        all_channels="Answer in every channel again",
    )
    async def settings(
        self,
        interaction: discord.Interaction[OrgBot],
        public: bool | None = None,
        threshold: app_commands.Range[float, 0.0, 1.0] | None = None,
        organiser_role: discord.Role | None = None,
        clear_organiser_role: bool = False,
        thread_mode: bool | None = None,
        retention_days: app_commands.Range[int, 1, 3650] | None = None,
        allow_channel: discord.TextChannel | None = None,
        disallow_channel: discord.TextChannel | None = None,
        all_channels: bool = False,
    ) -> None:
        """Show this server's settings, changing the ones you give."""
        assert interaction.guild_id is not None
        old = await self.bot.guild_settings.get(interaction.guild_id)
        channels = [] if all_channels else list(old.allowed_channels)
        if allow_channel is not None and allow_channel.id not in channels:
            channels.append(allow_channel.id)
        if disallow_channel is not None:
            refusal = _disallow_refusal(channels, disallow_channel.id)
            if refusal:
                await tell(interaction, refusal)
                return
            channels.remove(disallow_channel.id)
        new = dataclasses.replace(
            old,
            allowed_channels=tuple(channels),
            public_by_default=old.public_by_default if public is None else public,
            threshold=old.threshold if threshold is None else threshold,
            organiser_role_id=None if clear_organiser_role else (
                organiser_role.id if organiser_role else old.organiser_role_id),
            thread_mode=old.thread_mode if thread_mode is None else thread_mode,
            retention_days=old.retention_days if retention_days is None else min(
                retention_days, self.bot.settings.bot.retention_days),
        )  # fmt: skip
        if new != old:
            await self.bot.guild_settings.save(new)
        changed = [
            f.name for f in dataclasses.fields(new) if getattr(new, f.name) != getattr(old, f.name)
        ]
        await self._show(interaction, settings_embed(self.describe(new), changed))

    def describe(self, guild: GuildSettings) -> list[tuple[str, str]]:
        defaults = self.bot.settings

        def pick(value: object, default: object) -> str:
            return f"{value}" if value is not None else f"{default} (default)"

        channels = ", ".join(f"<#{c}>" for c in guild.allowed_channels) or "all channels"
        return [
            ("allowed_channels", channels),
            (
                "public_by_default",
                pick(guild.public_by_default, defaults.bot.discord.public_by_default),
            ),
            ("threshold", pick(guild.threshold, defaults.retrieval.answer.threshold)),
            (
                "organiser_role_id",
                f"<@&{guild.organiser_role_id}>" if guild.organiser_role_id else "none",
            ),
            ("thread_mode", pick(guild.thread_mode, defaults.bot.discord.thread_mode)),
            ("retention_days", pick(guild.retention_days, defaults.bot.retention_days)),
        ]


async def setup(bot: OrgBot) -> None:
    await bot.add_cog(Admin(bot))


def _disallow_refusal(allowed: list[int], channel_id: int) -> str | None:
    """Why a channel cannot be taken off the allowed list, or None when it can.

    An empty list means every channel, so removing the last one would open the bot up
    rather than close it down.
    """
    if not allowed:
        return (
            "Questions are allowed in every channel. To limit them, use `allow_channel` for "
            "each channel where the bot should answer."
        )
    if channel_id not in allowed:
        return f"<#{channel_id}> is not on the allowed list; nothing changed."
    if len(allowed) == 1:
        return (
            f"<#{channel_id}> is the only allowed channel; removing it would allow every "
            "channel. Allow another channel first, or use `all_channels` to allow all."
        )
    return None
