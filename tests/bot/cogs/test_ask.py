"""/ask through the real command tree: defer, then the answer embed; its buttons (more
results, related pages) clicked through discord.py's routing."""

from __future__ import annotations

import pytest

from bot.render.limits import embed_length
from bot.state import StateUnavailable
from tests.bot.payloads import click, slash
from tests.bot.recorder import Recorder, ask, button_id

DEFERRED_WITH_THINKING = 5


async def test_ask_defers_then_edits_the_original_with_cited_passages(
    deliver, recorder: Recorder
) -> None:
    await deliver(slash("ask", {"question": "how do I run a one-to-one conversation and listen"}))

    callback, edit = recorder.sent
    assert callback.path.endswith("/callback")
    assert callback.body["type"] == DEFERRED_WITH_THINKING
    assert callback.body["data"]["flags"] & 64  # private unless the server says otherwise
    assert edit.method == "PATCH" and edit.path.endswith("/messages/@original")
    embed = edit.embeds[0]
    assert embed["fields"][0]["name"].startswith("1. One-to-ones › ")
    assert "https://wiki.example.org/one-to-ones#" in embed["fields"][0]["value"]
    assert "`established` · `core`" in embed["fields"][0]["value"]
    assert edit.body["allowed_mentions"] == {"parse": []}
    ids = edit.custom_ids
    assert any(i.startswith("ob:more:q") for i in ids)
    assert any(i.startswith("ob:vote:q") and i.endswith(":up") for i in ids)
    assert "ob:rel:one-to-ones" in ids
    assert not any(i.startswith("ob:org:") for i in ids)  # no organiser role configured


async def test_unanswerable_question_says_so_and_offers_see_also_pages(
    deliver, recorder: Recorder
) -> None:
    await deliver(slash("ask", {"question": "quantum chromodynamics lattice"}))

    embed = recorder.sent[-1].embeds[0]
    assert embed["description"].startswith("The wiki has no grounded answer to that.")
    assert embed["fields"][0]["name"] == "Pages that come close"
    assert any(i.startswith("ob:page:") for i in recorder.sent[-1].custom_ids)


async def test_question_text_cannot_ping_or_break_formatting(deliver, recorder: Recorder) -> None:
    await deliver(
        slash("ask", {"question": "@everyone **one-to-one** <@123456789012345678> listen"})
    )

    title = recorder.sent[-1].embeds[0]["title"]
    assert "@everyone" not in title
    assert "<@123456789012345678>" not in title
    assert r"\*\*one-to-one\*\*" in title


async def test_a_4000_character_question_still_fits_every_limit(
    deliver, recorder: Recorder
) -> None:
    question = "how do I run a one-to-one " + "listen " * 700
    assert len(question) > 4000
    await deliver(slash("ask", {"question": question, "public": True}))

    edit = recorder.sent[-1]
    embed = edit.embeds[0]
    assert len(embed["title"]) <= 256
    assert embed_length(embed) <= 6000
    assert all(len(f["value"]) <= 1024 for f in embed.get("fields", []))
    assert not recorder.sent[0].flags & 64  # public: true was honoured


async def test_german_locale_says_when_it_falls_back_to_english(
    deliver, recorder: Recorder
) -> None:
    await deliver(slash("ask", {"question": "power mapping: wer entscheidet?"}, locale="de"))

    embed = recorder.sent[-1].embeds[0]
    assert embed["footer"]["text"].startswith("Ergebnisse 1–")
    assert "Deutsch" in embed.get("description", "")


async def test_a_question_in_english_is_answered_in_english_whatever_the_locale(
    deliver, recorder: Recorder
) -> None:
    await deliver(slash("ask", {"question": "power mapping who decides"}, locale="de"))

    embed = recorder.sent[-1].embeds[0]
    assert embed["footer"]["text"].startswith("Results 1–")
    assert "Deutsch" not in embed.get("description", "")
    assert embed["fields"][0]["name"].startswith("1. Power mapping")


async def test_cooldown_answers_with_a_friendly_private_message(
    deliver, recorder: Recorder, bot
) -> None:
    for _ in range(bot.settings.bot.discord.cooldown_burst):
        await deliver(slash("ask", {"question": "power mapping"}))
    recorder.sent.clear()

    await deliver(slash("ask", {"question": "power mapping"}))

    (reply,) = recorder.sent
    assert reply.body["type"] == 4
    assert reply.body["data"]["flags"] & 64
    assert reply.content.startswith("Easy there! You can ask again in")


async def test_a_direct_message_is_answered_and_never_logged(
    deliver, recorder: Recorder, state
) -> None:
    await deliver(slash("ask", {"question": "how do I run a one-to-one"}, guild=False))

    edit = recorder.sent[-1]
    assert edit.embeds[0]["fields"]
    assert not any(i.startswith("ob:vote:") for i in edit.custom_ids)
    assert all(":m" in i for i in edit.custom_ids if i.startswith("ob:more:"))
    assert await state.gaps(0, 365) == []
    assert await state.question(1) is None


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


async def test_a_german_question_from_an_english_locale_is_answered_in_german(
    deliver, recorder: Recorder
) -> None:
    question = "Wie stellen wir offene Fragen und hören zu?"
    await deliver(slash("ask", {"question": question}, locale="en-US"))

    embed = recorder.sent[-1].embeds[0]
    assert embed["footer"]["text"].startswith("Ergebnisse 1–")
    assert embed["fields"][0]["name"].startswith("1. Einzelgespräche ›")


async def test_a_guild_question_is_answered_when_the_state_disk_is_full(
    deliver, recorder: Recorder, state, caplog
) -> None:
    # SQLite's own "database or disk is full": the file may not grow, and is filled up.
    async with state._conn.execute("PRAGMA page_count") as cursor:
        (pages,) = await cursor.fetchone()
    await state._conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StateUnavailable, match="full"):
        for n in range(100_000):
            await state.log_question(guild_id=1, channel_id=1, user_id=n, question="x",
                                     lang="en", answered=False, top_score=None)  # fmt: skip

    answer = await ask(deliver, recorder, "how do I run a one-to-one conversation and listen")

    assert answer.embeds[0]["fields"][0]["name"].startswith("1. One-to-ones")
    assert "full" in caplog.text and "answering without it" in caplog.text
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
    # Without a log row the buttons page from memory, as for a DM, and votes are not offered.
    assert not any(i.startswith("ob:vote:") for i in answer.custom_ids)
