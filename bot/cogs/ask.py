"""/ask: a free question answered with cited passages; "more results" and "related pages"."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import answering
from bot.checks import OnCooldown, question_allowed
from bot.i18n import lang_for_locale, t
from bot.render import page_buttons
from bot.render.components import MORE_TEMPLATE, RELATED_TEMPLATE
from bot.respond import NO_MENTIONS, tell, to_embed, to_view

from ._buttons import ClickButton

if TYPE_CHECKING:
    from bot.client import OrgBot


async def public_by_default(bot: OrgBot, guild_id: int | None) -> bool:
    if guild_id is None:
        return True  # in a DM there is no one else to hide the answer from
    chosen = (await bot.guild_settings.get(guild_id)).public_by_default
    return bot.settings.bot.discord.public_by_default if chosen is None else chosen


def asker_of(interaction: discord.Interaction[Any]) -> answering.Asker:
    channel_id = interaction.channel.id if interaction.channel else None
    return answering.Asker(
        interaction.user.id, lang_for_locale(interaction.locale), interaction.guild_id, channel_id
    )


class Ask(commands.Cog):
    def __init__(self, bot: OrgBot) -> None:
        self.bot = bot

    @app_commands.command(name="ask")
    @app_commands.describe(
        question="What you want to know, in a sentence",
        public="Show the answer to everyone here (default: this server's setting)",
    )
    @app_commands.check(question_allowed)
    async def ask(
        self, interaction: discord.Interaction[OrgBot], question: str, public: bool | None = None
    ) -> None:
        """Ask the organising wiki a question; the answer quotes and cites its pages."""
        if public is None:
            public = await public_by_default(self.bot, interaction.guild_id)
        # Encoding and search can outlast Discord's 3 seconds under load: acknowledge first.
        await interaction.response.defer(ephemeral=not public, thinking=True)
        reply = await answering.answer(self.bot, question, asker_of(interaction))
        await interaction.edit_original_response(
            embed=to_embed(reply.embed), view=to_view(reply.buttons), allowed_mentions=NO_MENTIONS
        )


class MoreResults(ClickButton, template=MORE_TEMPLATE):
    """The next page of citations, shown privately to whoever clicked."""

    async def clicked(self, interaction: discord.Interaction[Any], bot: OrgBot) -> None:
        retry_after = await bot.cooldown.spend(interaction.user.id)
        if retry_after:
            raise OnCooldown(retry_after)
        await interaction.response.defer(ephemeral=True, thinking=True)
        asker = asker_of(interaction)
        recalled = await answering.recall(bot, self.values["ref"])
        if recalled is None:
            await tell(interaction, t("expired", asker.lang))
            return
        question, _ = recalled
        offset = int(self.values["offset"])
        reply = await answering.answer(bot, question, asker, ref=self.values["ref"], offset=offset)
        if not reply.answer.citations:
            await tell(interaction, t("no_more", asker.lang))
            return
        await interaction.edit_original_response(
            embed=to_embed(reply.embed), view=to_view(reply.buttons), allowed_mentions=NO_MENTIONS
        )


class RelatedPages(ClickButton, template=RELATED_TEMPLATE):
    """The pages a cited page lists as related, as buttons that open their cards."""

    async def clicked(self, interaction: discord.Interaction[Any], bot: OrgBot) -> None:
        lang = lang_for_locale(interaction.locale)
        slug = self.values["slug"]
        found = await bot.kb.page(slug, (), lang)
        if not found.related:
            await tell(interaction, t("no_related", lang))
            return
        title = found.page.title if found.page else slug
        await interaction.response.send_message(
            f"{t('related', lang)}: **{discord.utils.escape_markdown(title)}**",
            view=to_view(page_buttons(found.related, limit=10)),
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )


async def setup(bot: OrgBot) -> None:
    await bot.add_cog(Ask(bot))
    bot.add_dynamic_items(MoreResults, RelatedPages)
