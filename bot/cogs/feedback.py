"""👍 / 👎 on an answer (stored for `/kb gaps`), and "ask an organiser" (pings one role)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord

from bot import answering
from bot.checks import OnCooldown
from bot.i18n import lang_for_locale, t
from bot.render import clip, echo
from bot.render.components import FEEDBACK_TEMPLATE, ORGANISER_TEMPLATE
from bot.render.limits import CONTENT
from bot.respond import tell

from ._buttons import ClickButton

if TYPE_CHECKING:
    from bot.client import OrgBot

QUESTION_SHOWN = 300


class Vote(ClickButton, template=FEEDBACK_TEMPLATE):
    """One vote per user per answer; clicking the other thumb changes it."""

    async def clicked(self, interaction: discord.Interaction[Any], bot: OrgBot) -> None:
        lang = lang_for_locale(interaction.locale)
        vote = 1 if self.values["vote"] == "up" else -1
        stored = await bot.state.record_feedback(
            int(self.values["ref"][1:], 16), interaction.user.id, vote
        )
        if not stored:
            await tell(interaction, t("expired", lang))
            return
        await tell(interaction, t("thanks_up" if vote > 0 else "thanks_down", lang))


class AskOrganiser(ClickButton, template=ORGANISER_TEMPLATE):
    """Posts in the channel, mentioning the configured organiser role and nobody else."""

    async def clicked(self, interaction: discord.Interaction[Any], bot: OrgBot) -> None:
        lang = lang_for_locale(interaction.locale)
        # Read at click time: an answer sent before the role was removed must not ping.
        role_id = None
        if interaction.guild_id is not None:
            role_id = (await bot.guild_settings.fresh(interaction.guild_id)).organiser_role_id
        if role_id is None:
            await tell(interaction, t("no_organiser", lang))
            return
        retry_after = await bot.cooldown.spend(interaction.user.id)
        if retry_after:
            raise OnCooldown(retry_after)
        recalled = await answering.recall(bot, self.values["ref"])
        text = t("organiser_called", lang, role=f"<@&{role_id}>", user=interaction.user.mention)
        if recalled is not None:
            text += "\n> " + clip(echo(recalled[0]), QUESTION_SHOWN).replace("\n", "\n> ")
        if interaction.message is not None:
            text += f"\n{interaction.message.jump_url}"
        await interaction.response.send_message(
            clip(text, CONTENT),
            allowed_mentions=discord.AllowedMentions(
                everyone=False, users=False, roles=[discord.Object(role_id)], replied_user=False
            ),
        )


async def setup(bot: OrgBot) -> None:
    bot.add_dynamic_items(Vote, AskOrganiser)
