"""Faults on Discord's side, injected in the fake Discord: a dropped gateway connection, an
event delivered twice, 429 and 500 answers, a channel the bot may not write in.

The real discord.py client runs OrgBot; whatever Discord does, every question still gets
its answer (or, where none can be sent, one warning line), and nothing logs a traceback:
the harness counts every ERROR from discord.py as a violation.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import pytest

from bot.client import OrgBot
from bot.settings import Settings
from bot.state import StateDB
from retrieval import AsyncKnowledgeBase
from tests.fakediscord.fixtures import StartBot
from tests.fakediscord.harness import Harness, World
from tests.fakediscord.state import Fault

QUESTION = "how do I run a one-to-one conversation and listen"


@pytest.fixture
async def harness(
    fake_bot: StartBot, worker: AsyncKnowledgeBase, state: StateDB, settings: Settings
) -> AsyncIterator[Harness]:
    async with fake_bot(OrgBot(worker, state, settings), world=World.default()) as h:
        yield h


def answered(harness: Harness, record: object) -> bool:
    original = getattr(record, "original", None)
    return original is not None and bool(original.embeds and original.embeds[0].get("fields"))


def no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


async def test_a_dropped_gateway_connection_is_made_again_and_questions_answered(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    before = harness.fake.gateway.live()[0]
    await harness.fake.gateway.drop(shard_id=0)

    async def reconnected() -> bool:
        return any(s is not before for s in harness.fake.gateway.live())

    deadline = asyncio.get_running_loop().time() + 15
    while not await reconnected():
        assert asyncio.get_running_loop().time() < deadline, "the bot did not reconnect"
        await asyncio.sleep(0.05)
    record = await harness.interact("ask", {"question": QUESTION}, within=5)
    assert answered(harness, record)
    no_tracebacks(caplog)


async def test_an_interaction_delivered_twice_is_answered_once(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    record = await harness.interact("ask", {"question": QUESTION})
    await harness.fake.replay_interaction(record)
    await asyncio.sleep(0.3)

    assert record.callbacks == 1 and not record.extra_acks
    assert answered(harness, record)
    no_tracebacks(caplog)


async def test_a_rate_limited_acknowledgement_is_retried_in_time(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    limited = Fault("POST", "/callback", 429, retry_after=0.4)
    harness.state.faults.append(limited)

    record = await harness.interact("ask", {"question": QUESTION}, within=5)

    assert limited.hits == 1
    assert record.ack_latency is not None and record.ack_latency < 3
    assert answered(harness, record)
    no_tracebacks(caplog)


async def test_a_server_error_on_the_answer_is_retried(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    broken = Fault("PATCH", "/messages/@original", 500)
    harness.state.faults.append(broken)

    record = await harness.interact("ask", {"question": QUESTION}, within=8)

    assert broken.hits == 1 and answered(harness, record)
    no_tracebacks(caplog)


async def test_a_rate_limited_reply_to_a_mention_still_arrives(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    limited = Fault("POST", "/messages", 429, retry_after=0.3, times=2)
    harness.state.faults.append(limited)

    result = await harness.say("general", f"<@{harness.world.bot.id}> {QUESTION}", within=5)

    assert limited.hits == 2
    (reply,) = result.replies
    assert reply.embeds[0]["fields"][0]["name"].startswith("1. One-to-ones")
    no_tracebacks(caplog)


async def test_a_mention_where_the_bot_may_not_write_is_one_warning(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    general = harness.world.guild.channel("general")
    harness.state.faults += [
        Fault("POST", f"/channels/{general.id}/", 403, times=10),  # threads and replies
    ]

    result = await harness.say("general", f"<@{harness.world.bot.id}> {QUESTION}", within=1)

    assert not result.replies and not result.threads
    no_tracebacks(caplog)
    warnings = [r for r in caplog.records if "cannot reply in channel" in r.getMessage()]
    assert len(warnings) == 1 and "permissions" in warnings[0].getMessage()
