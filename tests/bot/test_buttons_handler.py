"""Button clicks on an /ask answer, routed by custom id through discord.py's view store."""

from __future__ import annotations

from bot.state import GuildSettings

from .payloads import GUILD_ID, USER_ID, click, slash
from .recorder import Recorder, Sent


async def ask(deliver, recorder: Recorder, question: str, **options) -> Sent:
    await deliver(slash("ask", {"question": question}, **options))
    answer = recorder.sent[-1]
    recorder.sent.clear()
    return answer


def button_id(answer: Sent, prefix: str) -> str:
    return next(i for i in answer.custom_ids if i.startswith(prefix))


async def test_more_results_defers_then_shows_the_next_citations(
    deliver, recorder: Recorder
) -> None:
    answer = await ask(deliver, recorder, "how do I run a one-to-one conversation and listen")
    more = button_id(answer, "ob:more:")

    await deliver(click(answer.as_message(), more))

    callback, edit = recorder.sent
    assert callback.body["type"] == 5 and callback.flags & 64  # private "thinking…"
    assert edit.path.endswith("/messages/@original")
    first_number = edit.embeds[0]["fields"][0]["name"].split(".")[0]
    assert first_number == "3"  # two citations per page in these tests, so the next is #3


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


async def test_related_pages_open_cards_when_clicked(deliver, recorder: Recorder) -> None:
    answer = await ask(deliver, recorder, "how do I run a one-to-one conversation and listen")

    await deliver(click(answer.as_message(), "ob:rel:one-to-ones"))
    related = recorder.sent[-1]
    assert "ob:page:house-meetings" in related.custom_ids
    recorder.sent.clear()

    await deliver(click(related.as_message(), "ob:page:house-meetings"))
    (card,) = recorder.sent
    assert card.embeds[0]["title"] == "House meetings"
    assert card.flags & 64


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


async def test_a_dm_answer_pages_from_memory_until_restart(
    deliver, recorder: Recorder, bot
) -> None:
    answer = await ask(
        deliver, recorder, "how do I run a one-to-one conversation and listen", guild=False
    )
    more = button_id(answer, "ob:more:m")

    bot.recent._items.clear()  # what a restart does to questions kept only in memory
    await deliver(click(answer.as_message(), more, guild=False))

    assert "too old" in recorder.sent[-1].content
