"""👍 / 👎 and "ask an organiser" on an answer, clicked through discord.py's routing."""

from __future__ import annotations

from bot.state import GuildSettings
from tests.bot.payloads import GUILD_ID, USER_ID, click
from tests.bot.recorder import Recorder, ask, button_id


async def test_thumbs_down_is_stored_and_counted_as_a_gap(
    deliver, recorder: Recorder, state
) -> None:
    answer = await ask(deliver, recorder, "power mapping who decides")
    down = button_id(answer, "ob:vote:")[:-2] + "down"

    await deliver(click(answer.as_message(), down))

    (reply,) = recorder.sent
    assert reply.body["type"] == 4 and reply.flags & 64
    assert "gaps" in reply.content
    question_id = int(down.split(":")[2][1:], 16)
    assert await state.votes(question_id) == {-1: 1}
    (gap,) = await state.gaps(GUILD_ID, 30)
    assert gap.question == "power mapping who decides" and gap.downvotes == 1


async def test_voting_again_changes_the_vote_instead_of_adding_one(
    deliver, recorder: Recorder, state
) -> None:
    answer = await ask(deliver, recorder, "power mapping who decides")
    up = button_id(answer, "ob:vote:")
    question_id = int(up.split(":")[2][1:], 16)

    await deliver(click(answer.as_message(), up.replace(":up", ":down")))
    await deliver(click(answer.as_message(), up))

    assert await state.votes(question_id) == {1: 1}


async def test_organiser_button_mentions_only_the_configured_role(
    deliver, recorder: Recorder, state
) -> None:
    await state.save_guild_settings(GuildSettings(GUILD_ID, organiser_role_id=555))
    answer = await ask(deliver, recorder, "power mapping who decides")
    organiser = button_id(answer, "ob:org:")

    await deliver(click(answer.as_message(), organiser))

    (reply,) = recorder.sent
    assert reply.content.startswith("<@&555>:")
    assert f"<@{USER_ID}>" in reply.content
    assert reply.body["data"]["allowed_mentions"] == {"parse": [], "roles": [555]}
    assert not reply.flags & 64  # the organisers must see it


async def test_organiser_button_is_inert_once_the_role_is_removed(
    deliver, recorder: Recorder, state
) -> None:
    await state.save_guild_settings(GuildSettings(GUILD_ID, organiser_role_id=555))
    answer = await ask(deliver, recorder, "power mapping who decides")
    await state.save_guild_settings(GuildSettings(GUILD_ID))

    await deliver(click(answer.as_message(), button_id(answer, "ob:org:")))

    (reply,) = recorder.sent
    assert "<@&" not in reply.content and reply.flags & 64


async def test_a_vote_the_state_cannot_take_gets_a_clear_reply(
    deliver, recorder: Recorder, state, caplog
) -> None:
    answer = await ask(deliver, recorder, "power mapping who decides")
    # SQLite refusing writes, as on a full disk or a read-only file.
    await state._conn.execute("PRAGMA query_only = ON")
    recorder.sent.clear()

    await deliver(click(answer.as_message(), button_id(answer, "ob:vote:")))

    (reply,) = recorder.sent
    assert reply.content.startswith("I can't save or look that up right now")
    assert reply.flags & 64
    assert not [r for r in caplog.records if r.levelname == "ERROR"]  # a condition, not a bug
    assert "readonly" in caplog.text  # the operator still learns why, in one warning

    again = await ask(deliver, recorder, "power mapping who decides")  # questions go on
    assert again.embeds[0]["fields"]
