"""Interactions Discord delivers twice are handled once; clicks no button handles are
answered rather than left to fail."""

from __future__ import annotations

import copy

import pytest

from tests.bot.payloads import bot_message, click, slash
from tests.bot.recorder import Recorder


async def test_the_same_interaction_delivered_twice_is_answered_once(
    deliver, recorder: Recorder, bot, caplog
) -> None:
    asked = slash("ask", {"question": "power mapping who decides"})

    await deliver(asked)
    await deliver(copy.deepcopy(asked))  # as a resumed session replays it

    callback, edit = recorder.sent  # one acknowledgement, one answer
    assert callback.body["type"] == 5 and edit.embeds[0]["fields"]
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
    # The cooldown was charged once: the rest of the burst is still there.
    recorder.sent.clear()
    for _ in range(bot.settings.bot.discord.cooldown_burst - 1):
        await deliver(slash("ask", {"question": "power mapping"}))
    assert not any("Easy there" in sent.content for sent in recorder.sent)


def message_with(custom_id: str) -> dict[str, object]:
    button = {"type": 2, "style": 2, "label": "More", "custom_id": custom_id}
    return bot_message({"content": "an old answer", "components": [
        {"type": 1, "components": [button]}
    ]})  # fmt: skip


@pytest.mark.parametrize(
    "custom_id",
    [
        "ob:more:q1:99999",  # an offset longer than any answer has
        "ask:more:0",  # a button from an older orgbot
        "ob:vote:q" + "f" * 24 + ":up",  # forged: beyond any database integer
        "ob:page:Not A Slug",
        "something-else",
    ],
)
async def test_a_click_no_button_handles_is_answered_as_too_old(
    deliver, recorder: Recorder, caplog, custom_id: str
) -> None:
    await deliver(click(message_with(custom_id), custom_id))

    (reply,) = recorder.sent
    assert reply.body["type"] == 4 and reply.flags & 64
    assert reply.content == "This answer is too old to continue; please ask again."
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


async def test_a_routed_click_on_a_question_that_is_gone_is_answered_too(
    deliver, recorder: Recorder, caplog
) -> None:
    for custom_id in ("ob:more:q7fffffffffffff:9999", "ob:vote:qfffffffffffff:up"):
        recorder.sent.clear()
        await deliver(click(message_with(custom_id), custom_id))
        first, *_, last = [*recorder.sent, *recorder.sent]  # "more" defers, then edits
        assert first.flags & 64 and "too old" in last.content, custom_id
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
