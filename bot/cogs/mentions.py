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


# Words that acknowledge an answer rather than ask anything, in the wiki's languages.
_CHATTER = frozenset(
    word
    for words in (
        "thanks thank you so much a lot thx ty cheers ok okay k cool great nice perfect awesome "
        "got it lol yes yep no nope sure",
        "danke schön dankeschön vielen dank super alles klar prima genau ja nein",
        "merci beaucoup parfait d'accord génial super oui non",
        "gracias muchas vale genial perfecto de acuerdo sí si no",
    )
    for word in words.split()
)


def readable_question(message: discord.Message, bot_id: int) -> str:
    """The question without the bot's mention, other mentions shown by name.

    A raw `<@123…>` would otherwise reach a thread's name (where it shows as digits) and the
    question log (where no raw user id may be stored).
    """
    users = {user.id: user.display_name for user in message.mentions}
    roles = {role.id: role.name for role in message.role_mentions}
    channels = {channel.id: getattr(channel, "name", "channel") for channel in
                message.channel_mentions}  # fmt: skip
    text = re.sub(rf"<@!?{bot_id}>", " ", message.content)
    text = re.sub(r"<@!?(\d+)>", lambda m: "@" + users.get(int(m[1]), "someone"), text)
    text = re.sub(r"<@&(\d+)>", lambda m: "@" + roles.get(int(m[1]), "role"), text)
    text = re.sub(r"<#(\d+)>", lambda m: "#" + channels.get(int(m[1]), "channel"), text)
    text = re.sub(r"<a?:(\w+):\d+>", r":\1:", text)  # custom emoji
    return " ".join(text.split())


def is_chatter(text: str) -> bool:
    """A 👍, a "thanks!" or an "ok": nothing to look up, so nothing to answer."""
    words = re.sub(r"[^\w\s']", " ", text.casefold()).split()
    return not words or (len(words) <= 6 and all(word in _CHATTER for word in words))


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
        question = readable_question(message, self.bot.user.id)
        if question and is_chatter(question):
            return
        try:
            await self.answer(message, question, lang)
        except discord.Forbidden as exc:
            log.warning("cannot reply in channel %s (%s); check the bot's permissions there",
                        message.channel.id, exc.text)  # fmt: skip
        except Exception as error:
            # The same words as for a failed command, from the bot's one error handler.
            text = explain(error, lang, f"message {message.id}")
            try:
                await self.say(message, text)
            except discord.HTTPException as exc:
                log.warning("could not tell the asker about an error (%s)", exc)

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
