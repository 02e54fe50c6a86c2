"""Questions by mention: answered in a thread the bot opens (or in place), follow-ups in that
thread without a mention, and direct messages, which are answered but never logged.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot import answering
from bot.checks import OnCooldown, allowed_here
from bot.errors import explain
from bot.i18n import lang_for_locale, t
from bot.render.limits import THREAD_NAME, clip
from bot.respond import NO_MENTIONS, to_embed, to_view

if TYPE_CHECKING:
    from bot.client import OrgBot

log = logging.getLogger(__name__)


def strip_mention(content: str, bot_id: int) -> str:
    return " ".join(re.sub(rf"<@!?{bot_id}>", " ", content).split())


class Mentions(commands.Cog):
    def __init__(self, bot: OrgBot) -> None:
        self.bot = bot

    def wants_answer(self, message: discord.Message) -> bool:
        """A DM, an explicit mention, or a follow-up in a thread the bot opened."""
        me = self.bot.user
        if me is None or message.author.bot or message.webhook_id is not None:
            return False
        if message.guild is None or me.id in message.raw_mentions:
            return True
        # Without the message-content intent a follow-up arrives empty: nothing to answer.
        channel = message.channel
        return (
            self.bot.intents.message_content
            and isinstance(channel, discord.Thread)
            and channel.owner_id == me.id
        )

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if not self.wants_answer(message):
            return
        assert self.bot.user is not None
        if await allowed_here(
            self.bot, message.guild.id if message.guild else None, message.channel
        ):
            return  # a mention outside the allowed channels is ignored, not argued with
        lang = lang_for_locale(message.guild.preferred_locale) if message.guild else "en"
        question = strip_mention(message.content, self.bot.user.id)
        try:
            await self.answer(message, question, lang)
        except Exception as error:
            # The same words as for a failed command, from the bot's one error handler.
            await self.say(message, explain(error, lang, f"message {message.id}"))

    async def answer(self, message: discord.Message, question: str, lang: str) -> None:
        if not question:
            await self.say(message, t("empty_question", lang))
            return
        retry_after = await self.bot.cooldown.spend(message.author.id)
        if retry_after:
            raise OnCooldown(retry_after)
        guild_id = message.guild.id if message.guild else None
        asker = answering.Asker(message.author.id, lang, guild_id, message.channel.id)
        reply = await answering.answer(self.bot, question, asker)
        embed, view = to_embed(reply.embed), to_view(reply.buttons)
        target = await self.reply_channel(message, question)
        if target is None:
            await message.reply(
                embed=embed, view=view, mention_author=False, allowed_mentions=NO_MENTIONS
            )
        else:
            await target.send(embed=embed, view=view, allowed_mentions=NO_MENTIONS)

    async def reply_channel(self, message: discord.Message, question: str) -> discord.Thread | None:
        """A new thread for the answer when the guild wants one; None to answer in place."""
        if message.guild is None or not isinstance(message.channel, discord.TextChannel):
            return None
        chosen = (await self.bot.guild_settings.get(message.guild.id)).thread_mode
        if not (self.bot.settings.bot.discord.thread_mode if chosen is None else chosen):
            return None
        name = clip(" ".join(question.split()), THREAD_NAME) or "Question"
        try:
            return await message.create_thread(name=name, auto_archive_duration=1440)
        except discord.HTTPException as exc:
            log.warning(
                "cannot open a thread in %s (%s); answering in place", message.channel.id, exc
            )
            return None

    async def say(self, message: discord.Message, text: str) -> None:
        await message.reply(text, mention_author=False, allowed_mentions=NO_MENTIONS)


async def setup(bot: OrgBot) -> None:
    await bot.add_cog(Mentions(bot))
