"""End to end: the real discord.py client runs OrgBot against the fake Discord on 127.0.0.1.

The fake records every request, fails on unknown routes and on any rule Discord enforces
(one acknowledgement, 3 s to acknowledge, content and embed limits, 25 choices, mentions);
`fake_bot` fails the test at teardown if any rule was broken.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.client import OrgBot
from bot.settings import Settings
from bot.state import GuildSettings, StateDB
from retrieval import AsyncKnowledgeBase
from tests.fakediscord.fixtures import StartBot
from tests.fakediscord.harness import Harness, Rules, World

QUESTION = "how do I run a one-to-one conversation and listen"


@pytest.fixture
def world() -> World:
    return World.default()


@pytest.fixture
async def harness(
    fake_bot: StartBot, worker: AsyncKnowledgeBase, state: StateDB, settings: Settings, world: World
) -> AsyncIterator[Harness]:
    rules = Rules(allow_role_mentions={world.guild.role("Organisers").id})
    async with fake_bot(OrgBot(worker, state, settings), world=world, rules=rules) as h:
        yield h


def ids(message: Any) -> list[str]:
    return message.custom_ids()


async def test_slash_command_defers_then_answers_with_citations(harness: Harness) -> None:
    record = await harness.interact("ask", {"question": QUESTION, "public": True})

    assert record.ack is not None and record.ack.type == 5
    assert record.ack_latency is not None and record.ack_latency < 3
    assert record.original is not None and not record.original.ephemeral
    embed = record.original.embeds[0]
    assert embed["fields"][0]["name"].startswith("1. One-to-ones ›")
    assert any(i.startswith("ob:more:q") for i in ids(record.original))


async def test_autocomplete_answers_with_fitting_choices(harness: Harness) -> None:
    choices = await harness.autocomplete("method", {"name": "one"}, focused="name")

    assert choices[0] == {"name": "One-to-ones (one-to-ones)", "value": "one-to-ones"}
    assert len(choices) <= 25


async def test_lookup_card_and_its_related_page_button(harness: Harness) -> None:
    record = await harness.interact("method", {"name": "one-to-ones"})
    assert record.original is not None
    assert record.original.embeds[0]["title"] == "One-to-ones"

    click = await harness.click(record.original, "ob:page:house-meetings")

    assert click.ack is not None and click.ack.type == 4
    assert click.messages[0].embeds[0]["title"] == "House meetings"


async def test_more_results_button_defers_then_follows_up(harness: Harness) -> None:
    record = await harness.interact("ask", {"question": QUESTION})
    assert record.original is not None
    more = next(i for i in ids(record.original) if i.startswith("ob:more:"))

    click = await harness.click(record.original, more)

    assert click.ack is not None and click.ack.type == 5
    assert click.messages[0].ephemeral
    assert click.messages[0].embeds[0]["fields"][0]["name"].startswith("3. ")


async def test_feedback_button_is_stored(harness: Harness, state: StateDB) -> None:
    record = await harness.interact("ask", {"question": QUESTION})
    assert record.original is not None
    down = next(i for i in ids(record.original) if i.endswith(":down"))

    click = await harness.click(record.original, down)

    assert "gaps" in click.messages[0].content
    question_id = int(down.split(":")[2][1:], 16)
    assert await state.votes(question_id) == {-1: 1}


async def test_organiser_button_pings_only_the_organiser_role(
    harness: Harness, state: StateDB, world: World
) -> None:
    role = world.guild.role("Organisers")
    await state.save_guild_settings(GuildSettings(world.guild.id, organiser_role_id=role.id))
    record = await harness.interact("ask", {"question": QUESTION, "public": True})
    assert record.original is not None
    organiser = next(i for i in ids(record.original) if i.startswith("ob:org:"))

    click = await harness.click(record.original, organiser, user="bob")

    message = click.messages[0]
    assert message.content.startswith(f"<@&{role.id}>")
    callback = harness.requests_to("POST", f"/interactions/{click.id}/")[-1]
    assert callback.json["data"]["allowed_mentions"] == {"parse": [], "roles": [role.id]}
    # and the fake (Rules.allow_role_mentions) fails the test if anything else could ping


async def test_mention_in_a_channel_is_answered_in_a_new_thread(harness: Harness) -> None:
    result = await harness.say("general", f"<@{harness.world.bot.id}> {QUESTION}")

    (thread,) = result.threads
    assert thread.name == QUESTION
    (reply,) = result.replies
    assert reply.channel_id == thread.id
    assert reply.embeds[0]["fields"][0]["name"].startswith("1. One-to-ones ›")


async def test_follow_up_in_the_bots_thread_needs_no_mention(harness: Harness) -> None:
    first = await harness.say("general", f"<@{harness.world.bot.id}> {QUESTION}")
    (thread,) = first.threads

    follow_up = await harness.say(
        thread, "and what about power mapping who decides", mentions_bot=False
    )

    (reply,) = follow_up.replies
    assert reply.channel_id == thread.id
    assert "Power mapping" in reply.embeds[0]["fields"][0]["name"]
    assert not follow_up.threads  # answered in place, no thread inside a thread


async def test_mention_in_place_when_the_guild_turns_threads_off(
    harness: Harness, state: StateDB, world: World
) -> None:
    await state.save_guild_settings(GuildSettings(world.guild.id, thread_mode=False))

    result = await harness.say("general", f"<@{world.bot.id}> {QUESTION}")

    assert not result.threads
    (reply,) = result.replies
    assert reply.channel_id == world.guild.channel("general").id
    assert int(reply.data["message_reference"]["message_id"]) == result.sent.id


async def test_a_direct_message_is_answered_and_not_logged(
    harness: Harness, state: StateDB
) -> None:
    result = await harness.dm(QUESTION)

    (reply,) = result.replies
    assert reply.embeds[0]["fields"]
    assert not any(i.startswith("ob:vote:") for i in reply.custom_ids())
    assert await state.question(1) is None


async def test_admin_command_is_refused_to_a_non_admin(harness: Harness) -> None:
    refused = await harness.interact("kb status", user="alice")
    allowed = await harness.interact("kb status", user="ada")

    assert refused.messages[0].ephemeral
    assert "Manage Server" in refused.messages[0].content
    assert allowed.messages[0].embeds[0]["title"] == "Knowledge base"


async def test_cooldown_gives_a_friendly_message(harness: Harness, settings: Settings) -> None:
    for _ in range(settings.bot.discord.cooldown_burst):
        await harness.interact("ask", {"question": "power mapping"}, user="bob")

    record = await harness.interact("ask", {"question": "power mapping"}, user="bob")

    assert record.ack is not None and record.ack.type == 4
    assert record.messages[0].content.startswith("Easy there!")


async def test_huge_question_and_huge_section_stay_within_limits(harness: Harness) -> None:
    question = "power mapping who decides " + "and influences " * 300
    assert len(question) > 4000
    asked = await harness.interact("ask", {"question": question})
    card = await harness.interact("method", {"name": "power-mapping"})

    assert asked.original is not None and len(asked.original.embeds[0]["title"]) <= 256
    assert card.messages[0].embeds[0]["title"] == "Power mapping"


async def test_a_failing_mention_is_answered_by_the_one_handler_in_the_guilds_language(
    fake_bot: StartBot,
    worker: AsyncKnowledgeBase,
    state: StateDB,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def broken(question: Any) -> Any:
        raise RuntimeError("the index went away")

    monkeypatch.setattr(worker, "ask", broken)
    world = World.default()
    world.guild.locale = "de"
    async with fake_bot(OrgBot(worker, state, settings), world=world) as h:
        result = await h.say("general", f"<@{world.bot.id}> wie plane ich ein Einzelgespräch")
        for _ in range(settings.bot.discord.cooldown_burst):
            await h.say("general", f"<@{world.bot.id}> noch eine Frage", user="bob")
        refused = await h.say("general", f"<@{world.bot.id}> und noch eine", user="bob")

    (reply,) = result.replies
    assert reply.content.startswith("Bei mir ist etwas schiefgelaufen.")
    assert "the index went away" not in reply.content
    assert "the index went away" in caplog.text  # logged once, with its traceback, for us
    assert refused.replies[0].content.startswith("Langsam! In ")


async def test_a_thread_is_named_with_names_never_raw_ids(harness: Harness, state: StateDB) -> None:
    bob = harness.world.users["bob"]
    result = await harness.say(
        "general", f"<@{harness.world.bot.id}> how did <@{bob.id}> run the one-to-one",
        mentions=["bob"],
    )  # fmt: skip

    (thread,) = result.threads
    assert thread.name == "how did @bob run the one-to-one"
    logged = await state.question(1)
    assert logged is not None and str(bob.id) not in logged.question


@pytest.mark.parametrize("chatter", ["👍", "thanks!", "Thank you so much!", "danke 🙏", "ok"])
async def test_thanks_in_the_bots_thread_is_not_answered(harness: Harness, chatter: str) -> None:
    first = await harness.say("general", f"<@{harness.world.bot.id}> {QUESTION}")
    (thread,) = first.threads

    thanked = await harness.say(thread, chatter, mentions_bot=False, within=0.5)

    assert thanked.delivered and not thanked.replies
    follow_up = await harness.say(thread, "and what about the risks?", mentions_bot=False)
    assert follow_up.replies  # a real follow-up still is
