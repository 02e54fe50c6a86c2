"""/method, /case, /source, /thinker, /page: cards, autocomplete and "did you mean"."""

from __future__ import annotations

import threading

from bot.render.limits import embed_length
from retrieval import MAX_NAME_CHARS, KnowledgeBase
from tests.bot.payloads import slash
from tests.bot.recorder import Recorder

AUTOCOMPLETE_RESULT = 8


async def test_method_card_shows_summary_use_examples_sources_status(
    deliver, recorder: Recorder
) -> None:
    await deliver(slash("method", {"name": "one-to-ones"}))

    (reply,) = recorder.sent
    embed = reply.embeds[0]
    assert embed["title"] == "One-to-ones"
    assert embed["url"] == "https://wiki.example.org/one-to-ones"
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Status"] == "`established` · `core`"
    assert "Finding leaders" in fields["Use it for"]
    assert "forty one-to-ones" in fields["Examples"]
    assert "`secondary` field-manual — chapter on listening" in fields["Sources"]
    assert "ob:page:house-meetings" in reply.custom_ids
    links = [c for row in reply.components for c in row["components"] if c.get("url")]
    assert links[0]["url"] == "https://wiki.example.org/one-to-ones"


async def test_extracted_summary_is_marked_and_a_huge_section_fits(
    deliver, recorder: Recorder
) -> None:
    await deliver(slash("method", {"name": "Power mapping"}))

    embed = recorder.sent[0].embeds[0]
    assert "extracted automatically" in embed["description"]
    assert embed_length(embed) <= 6000
    assert all(len(f["value"]) <= 1024 for f in embed["fields"])


async def test_aliases_and_kind_folders_find_pages(deliver, recorder: Recorder) -> None:
    await deliver(slash("method", {"name": "relational meetings"}))
    await deliver(slash("case", {"name": "tenant-strike"}))
    await deliver(slash("thinker", {"name": "Ella Baker"}))
    await deliver(slash("source", {"name": "field-manual"}))

    titles = [sent.embeds[0]["title"] for sent in recorder.sent]
    assert titles == [
        "One-to-ones",
        "The tenant strike",
        "Ella Baker",
        "A field manual for organisers",
    ]
    case_fields = {f["name"]: f["value"] for f in recorder.sent[1].embeds[0]["fields"]}
    assert case_fields["Where and when"] == "Nowhere, Example City · 2019–2020"


async def test_unknown_name_offers_did_you_mean_buttons(deliver, recorder: Recorder) -> None:
    await deliver(slash("method", {"name": "one to one chats"}))

    (reply,) = recorder.sent
    assert reply.content.startswith("I don't know a page called **one to one chats**")
    assert "ob:page:one-to-ones" in reply.custom_ids
    assert reply.flags & 64


async def test_autocomplete_offers_at_most_25_fitting_choices(deliver, recorder: Recorder) -> None:
    await deliver(slash("method", {"name": "one"}, focused="name"))

    (reply,) = recorder.sent
    assert reply.body["type"] == AUTOCOMPLETE_RESULT
    choices = reply.body["data"]["choices"]
    assert choices[0] == {"name": "One-to-ones (one-to-ones)", "value": "one-to-ones"}
    assert len(choices) <= 25
    assert all(
        c["value"] in {"one-to-ones", "power-mapping", "house-meetings", "marches"} for c in choices
    )


async def test_page_autocomplete_covers_every_kind(deliver, recorder: Recorder) -> None:
    await deliver(slash("page", {"name": ""}, focused="name"))

    values = {c["value"] for c in recorder.sent[0].body["data"]["choices"]}
    assert {"case-studies/tenant-strike", "sources/field-manual", "thinkers/ella-baker"} <= values


async def test_german_locale_gets_the_translation(deliver, recorder: Recorder) -> None:
    await deliver(slash("method", {"name": "one-to-ones"}, locale="de"))

    embed = recorder.sent[0].embeds[0]
    assert embed["title"] == "Einzelgespräche"
    assert "Deutsch" not in embed["description"]  # a translation exists: no fallback notice


async def test_french_locale_is_told_about_the_english_fallback(
    deliver, recorder: Recorder
) -> None:
    await deliver(slash("method", {"name": "house-meetings"}, locale="fr"))

    embed = recorder.sent[0].embeds[0]
    assert embed["title"] == "House meetings"
    assert embed["description"].startswith("*Pas encore de version Français")


async def test_autocomplete_and_lookups_run_on_the_worker_thread(
    deliver, recorder: Recorder, monkeypatch
) -> None:
    threads: list[str] = []
    for name in ("complete", "lookup"):
        real = getattr(KnowledgeBase, name)

        def spy(self, *args, _real=real, **kwargs):
            threads.append(threading.current_thread().name)
            return _real(self, *args, **kwargs)

        monkeypatch.setattr(KnowledgeBase, name, spy)

    await deliver(slash("method", {"name": "one"}, focused="name"))
    await deliver(slash("method", {"name": "one-to-ones"}))

    assert recorder.sent[0].body["type"] == AUTOCOMPLETE_RESULT
    assert recorder.sent[1].embeds[0]["title"] == "One-to-ones"
    # complete() once for autocomplete; lookup() once for the card: none on the event loop
    assert threads and set(threads) == {"orgbot-retrieval"}


async def test_name_options_are_limited_to_what_the_knowledge_base_matches(bot) -> None:
    for command in ("method", "case", "source", "thinker", "page"):
        (option,) = bot.tree.get_command(command).to_dict(bot.tree)["options"]
        assert option["name"] == "name" and option["autocomplete"] is True
        assert (option["min_length"], option["max_length"]) == (1, MAX_NAME_CHARS), command


async def test_a_name_longer_than_discord_allows_is_read_up_to_the_limit(
    deliver, recorder: Recorder
) -> None:
    # Discord refuses such a name; should one arrive anyway, the rest is ignored.
    await deliver(slash("method", {"name": "One-to-ones".ljust(MAX_NAME_CHARS) + "x" * 6000}))
    await deliver(
        slash("method", {"name": "one".ljust(MAX_NAME_CHARS) + "x" * 6000}, focused="name")
    )

    card, completion = recorder.sent
    assert card.embeds[0]["title"] == "One-to-ones"
    choices = completion.body["data"]["choices"]
    assert choices[0] == {"name": "One-to-ones (one-to-ones)", "value": "one-to-ones"}
