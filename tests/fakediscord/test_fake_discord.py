"""The fake Discord, tested with a tiny real discord.py bot that behaves well and badly."""

from __future__ import annotations

import asyncio
from typing import Any

import discord
import pytest
from discord import app_commands
from discord.ext import commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from tests.fakediscord.bench import LoopLag, summarize
from tests.fakediscord.fixtures import StartBot
from tests.fakediscord.harness import running_bot
from tests.fakediscord.state import Rules, World

GREETINGS = {"de": "Hallo!", "fr": "Bonjour !"}
METHODS = [f"method {n:02d}" for n in range(40)] + ["distributed organizing", "power mapping"]


class HelloView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=None)
        self.add_item(discord.ui.Button(label="Wiki", url="https://example.org/wiki"))

    @discord.ui.button(label="Wave", custom_id="hello:wave")
    async def wave(self, interaction: discord.Interaction, _: discord.ui.Button[HelloView]) -> None:
        await interaction.response.edit_message(content="Waved back", view=None)

    @discord.ui.button(label="More", custom_id="hello:more")
    async def more(self, interaction: discord.Interaction, _: discord.ui.Button[HelloView]) -> None:
        await interaction.response.send_message("More, just for you", ephemeral=True)


class Tiny(commands.Bot):
    """A tiny bot: a few good commands and a few that break one Discord rule each."""

    def __init__(self, *, message_content: bool = True, **options: object) -> None:
        intents = discord.Intents.default()
        intents.message_content = message_content
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            allowed_mentions=discord.AllowedMentions.none(),
            **options,  # type: ignore[arg-type]
        )
        self.seen: list[discord.Message] = []
        self.last: discord.Interaction | None = None
        commands_: list[app_commands.Command[Any, Any, Any] | app_commands.Group] = [
            *(hello, slow, edited, method, kb),
            *(long, twice, everyone, late, silent),  # each breaks one rule
        ]
        for command in commands_:
            self.tree.add_command(command)

    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot:
            return
        self.seen.append(message)
        me = self.user
        assert me is not None
        ours = isinstance(message.channel, discord.Thread) and message.channel.owner_id == me.id
        if isinstance(message.channel, discord.DMChannel):
            await message.channel.send(f"dm: {message.content}")
        elif me in message.mentions:
            thread = await message.create_thread(name=message.content[:90] or "question")
            await thread.send(f"answer: {message.clean_content}")
        elif ours:
            await message.channel.send(f"follow-up: {message.content}")


@app_commands.command(description="Greet")
async def hello(interaction: discord.Interaction) -> None:
    interaction.client.last = interaction  # type: ignore[attr-defined]
    text = GREETINGS.get(str(interaction.locale), "Hello!")
    await interaction.response.send_message(text, view=HelloView())


@app_commands.command(description="Think, then answer with a followup")
async def slow(interaction: discord.Interaction, question: str) -> None:
    await interaction.response.defer(thinking=True)
    await asyncio.sleep(0.05)
    await interaction.followup.send(f"Answer to {question}")
    await interaction.followup.send("And one more thing")


@app_commands.command(description="Think, then edit the original")
async def edited(interaction: discord.Interaction) -> None:
    await interaction.response.defer(ephemeral=True, thinking=True)
    embed = discord.Embed(title="Power mapping", description="Who decides?")
    await interaction.edit_original_response(embed=embed)


async def complete_method(_: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    found = [m for m in METHODS if current.lower() in m]
    many = current == "many"  # the bot "forgets" the 25-choice limit
    return [app_commands.Choice(name=m, value=m) for m in (METHODS if many else found[:25])]


@app_commands.command(description="Look a method up")
@app_commands.autocomplete(name=complete_method)
async def method(interaction: discord.Interaction, name: str) -> None:
    await interaction.response.send_message(embed=discord.Embed(title=name))


@app_commands.command(description="Too long")
async def long(interaction: discord.Interaction) -> None:
    await interaction.response.send_message("x" * 2001)


@app_commands.command(description="Answers twice")
async def twice(interaction: discord.Interaction) -> None:
    await interaction.response.send_message("once")
    interaction.response._response_type = None  # defeat discord.py's own guard
    await interaction.response.send_message("twice")


@app_commands.command(description="Pings")
async def everyone(interaction: discord.Interaction, role: bool = False) -> None:
    if role:
        assert interaction.guild is not None
        organisers = discord.utils.get(interaction.guild.roles, name="Organisers")
        assert organisers is not None
        mentions = discord.AllowedMentions(roles=[organisers])
        await interaction.response.send_message(organisers.mention, allowed_mentions=mentions)
    else:
        everyone_too = discord.AllowedMentions(everyone=True)
        await interaction.response.send_message("@everyone look", allowed_mentions=everyone_too)


@app_commands.command(description="Too slow")
async def late(interaction: discord.Interaction) -> None:
    await asyncio.sleep(0.3)
    await interaction.response.send_message("sorry, late")


@app_commands.command(description="Never answers")
async def silent(interaction: discord.Interaction) -> None:
    return None


kb = app_commands.Group(name="kb", description="Knowledge base admin")


@kb.command(description="Status")
@app_commands.checks.has_permissions(manage_guild=True)
async def status(interaction: discord.Interaction) -> None:
    await interaction.response.send_message("build ok", ephemeral=True)


@status.error
async def status_refused(interaction: discord.Interaction, error: Exception) -> None:
    await interaction.response.send_message("Only admins may do that.", ephemeral=True)


async def test_slash_command_then_buttons(fake_bot: StartBot) -> None:
    async with fake_bot(Tiny()) as h:
        record = await h.interact("hello", locale="de")
        assert record.ack is not None and record.ack.type == 4
        assert record.ack_latency is not None and record.ack_latency < 1
        assert record.original is not None and record.original.content == "Hallo!"
        assert h.bot.last.locale is discord.Locale.german  # type: ignore[attr-defined]
        assert h.bot.last.filesize_limit > 0 and h.bot.last.guild is not None  # type: ignore[attr-defined]
        assert record.original.custom_ids() == ["hello:wave", "hello:more"]

        more = await h.click(record.original, "hello:more", user="bob")
        assert more.original is not None and more.original.ephemeral
        assert more.original.content == "More, just for you"

        waved = await h.click(record.original, "hello:wave")
        assert waved.ack is not None and waved.ack.type == 7
        assert waved.original is record.original
        assert record.original.content == "Waved back" and record.original.components == []
        assert len(h.requests_to("POST", "/callback")) == 3


async def test_defer_then_followups(fake_bot: StartBot) -> None:
    async with fake_bot(Tiny()) as h:
        record = await h.interact("slow", {"question": "why?"})
        assert record.deferred and record.ack is not None and record.ack.type == 5
        assert record.original is not None and not record.original.loading
        assert record.original.content == "Answer to why?"
        assert [m.content for m in record.messages] == ["Answer to why?", "And one more thing"]
        assert record.answer_latency is not None and record.ack_latency is not None
        assert record.answer_latency >= record.ack_latency + 0.04


async def test_defer_then_edit_original(fake_bot: StartBot) -> None:
    async with fake_bot(Tiny()) as h:
        record = await h.interact("edited")
        assert record.original is not None and record.original.ephemeral
        assert record.original.embeds[0]["title"] == "Power mapping"
        assert record.original.versions[0]["flags"] & 128  # it was "thinking" first


async def test_autocomplete_and_its_limit(fake_bot: StartBot) -> None:
    async with fake_bot(Tiny()) as h:
        choices = await h.autocomplete("method", {"name": "power"}, focused="name")
        assert choices == [{"name": "power mapping", "value": "power mapping"}]
        assert len(await h.autocomplete("method", {"name": "method"}, focused="name")) == 25
        assert await h.autocomplete("method", {"name": "many"}, focused="name") == []
        assert "42 autocomplete choices" in str(h.take_violations("limits")[0])
        assert h.take_violations("bot error")


async def test_mention_opens_a_thread_and_follow_ups_are_answered(fake_bot: StartBot) -> None:
    async with fake_bot(Tiny()) as h:
        said = await h.say("general", "what is a power map?")
        [thread] = said.threads
        assert thread.parent_id == h.channel("general").id and thread.id == said.sent.id
        [answer] = said.replies
        assert answer.channel_id == thread.id and answer.content.startswith("answer: @orgbot")
        again = await h.say(thread, "and in German?", mentions_bot=False)
        assert [m.content for m in again.replies] == ["follow-up: and in German?"]
        quiet = await h.say("help", "just chatting", mentions_bot=False, expect=0)
        assert quiet.replies == [] and quiet.delivered


async def test_direct_message(fake_bot: StartBot) -> None:
    async with fake_bot(Tiny()) as h:
        said = await h.dm("hi there", user="bob")
        assert [m.content for m in said.replies] == ["dm: hi there"]
        assert said.replies[0].channel_id == h.dm_channel("bob").id


async def test_without_message_content_intent_text_is_hidden(fake_bot: StartBot) -> None:
    async with fake_bot(Tiny(message_content=False)) as h:
        await h.say("general", "secret words", mentions_bot=False, expect=0)
        assert h.bot.seen[-1].content == ""  # type: ignore[attr-defined]
        said = await h.say("general", "visible when mentioned")
        assert said.replies and "visible when mentioned" in said.replies[0].content


async def test_admin_command_refused_to_member(fake_bot: StartBot) -> None:
    async with fake_bot(Tiny()) as h:
        refused = await h.interact("kb status", user="alice")
        allowed = await h.interact("kb status", user="ada")
        assert refused.original is not None and allowed.original is not None
        assert refused.original.content == "Only admins may do that."
        assert allowed.original.content == "build ok"


@pytest.mark.parametrize(
    ("command", "broken", "rules"),
    [
        ("long", ["limits", "bot error"], Rules()),
        ("twice", ["acknowledge once", "bot error"], Rules()),
        ("everyone", ["mentions"], Rules()),
        ("late", ["ack deadline", "bot error"], Rules(ack_deadline=0.2)),
        ("silent", ["not acknowledged"], Rules(ack_deadline=0.2)),
    ],
)
async def test_broken_rules_are_violations(
    fake_bot: StartBot, command: str, broken: list[str], rules: Rules
) -> None:
    """A refused answer also surfaces in the bot as an exception it let escape."""
    async with fake_bot(Tiny(), rules=rules) as h:
        await h.interact(command)
        await asyncio.sleep(0.15 if command == "late" else 0)
        assert [v.rule for v in h.take_violations()] == broken


async def test_role_mention_only_when_the_test_allows_it(fake_bot: StartBot) -> None:
    async with fake_bot(Tiny()) as h:
        await h.interact("everyone", {"role": True})
        assert [v.rule for v in h.take_violations()] == ["mentions"]
    world = World.default()
    rules = Rules(allow_role_mentions={world.guild.role("Organisers").id})
    async with fake_bot(Tiny(), world=world, rules=rules) as h:
        record = await h.interact("everyone", {"role": True})
        assert record.original is not None and record.original.content.startswith("<@&")


async def test_unknown_route_is_a_violation(fake_bot: StartBot) -> None:
    async with fake_bot(Tiny()) as h:
        with pytest.raises(discord.NotFound):
            await h.bot.fetch_guild(h.world.guild.id)
        [violation] = h.take_violations("unknown route")
        assert "GET /api/v10/guilds/" in violation.request


async def test_synced_commands_are_stored_and_used(fake_bot: StartBot) -> None:
    async with fake_bot(Tiny()) as h:
        guild = discord.Object(h.world.guild.id)
        assert isinstance(h.bot, Tiny)
        h.bot.tree.copy_global_to(guild=guild)
        synced = await h.bot.tree.sync(guild=guild)
        assert {c.name for c in synced} >= {"hello", "kb"}
        record = await h.start_interaction("hello")
        assert record.payload["data"]["guild_id"] == str(h.world.guild.id)
        await h.wait_answered(record)


class QuickShards(commands.AutoShardedBot):
    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """discord.py waits 5 s between shards' IDENTIFYs; the fake has no such limit."""


async def test_autosharded_bot_and_compression(fake_bot: StartBot) -> None:
    bot = commands.AutoShardedBot(command_prefix="!", intents=discord.Intents.default())
    async with fake_bot(bot) as h:
        assert h.requests_to("GET", "/gateway/bot")
        assert [s.compressor is not None for s in h.fake.gateway.sessions] == [True]
    two = QuickShards(command_prefix="!", intents=discord.Intents.default(), shard_count=2)
    async with fake_bot(two) as h:
        assert sorted(s.shard_id for s in h.fake.gateway.sessions) == [0, 1]
        assert h.bot.get_guild(h.world.guild.id) is not None


async def test_discord_py_is_restored_afterwards() -> None:
    before = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    async with running_bot(Tiny()) as h:
        assert Route.BASE.startswith("http://127.0.0.1:")
        assert h.bot.user is not None and h.bot.user.id == h.world.bot.id
    assert before == (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)


async def test_burst_measures_every_interaction(fake_bot: StartBot) -> None:
    async with fake_bot(Tiny()) as h:
        async with LoopLag() as lag:
            records = await h.burst(30, "slow", {"question": "q"})
        summary = summarize(records)
        assert summary["acknowledged_within_3s"] == summary["answered"] == 30
        assert summary["ack_p50"] <= summary["ack_p95"] <= summary["ack_max"] < 3
        assert summary["answer_p95"] >= 0.05 and 0 <= lag.worst < 1
