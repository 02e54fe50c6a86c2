"""The knowledge base's page calls: lookup by slug and language, completion, related pages;
and what it says about its build."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from retrieval import IndexNotReady, KnowledgeBase, Question, build_index
from retrieval.embedding.base import signature
from retrieval.search import names
from retrieval.search.learned_intent import LearnedIntent, weights_shape
from retrieval.service import MAX_NAME_CHARS
from tests.sandbox import damage_search_table


def test_page_lookup_complete_and_related(kb) -> None:
    page, fell_back = kb.page("house-visits", lang="de")
    assert page.slug == "de/house-visits" and fell_back is False
    page, fell_back = kb.page("rent-pledges", lang="de")
    assert page.slug == "rent-pledges" and fell_back is True
    assert kb.page("nope") is None
    assert kb.complete("house vist")[0].slug == "house-visits"
    assert [r.slug for r in kb.complete("", kinds=["source"])] == [
        "sources/field-manual",
        "sources/field-notes",
    ]
    assert len(kb.complete("", limit=2)) == 2
    assert all(not r.slug.startswith("de/") for r in kb.complete("Hausbesuche"))
    assert [r.slug for r in kb.related("house-visits")] == ["rent-pledges"]
    assert kb.suggest("rent pledgs")[0].slug == "rent-pledges"


def test_status_finds_a_damaged_store_and_ask_says_how_to_rebuild(kb) -> None:
    assert kb.status().problems == ()
    damage_search_table(kb.build.folder / "store.sqlite3")
    (problem,) = kb.status().problems
    assert "store.sqlite3 is damaged" in problem and "orgbot index build --full" in problem
    with pytest.raises(IndexNotReady, match=r"is damaged.*orgbot index build --full"):
        kb.ask(Question("rent pledge withhold rent"))


def test_status_says_when_the_content_folder_is_gone(kb, settings) -> None:
    shutil.rmtree(settings.content_dir)
    status = kb.status()
    assert status.changed_pages == ()
    assert status.problems == (
        f"the content folder {settings.content_dir} does not exist; put it back or fix "
        "`content_dir`",
    )


def test_a_lookup_carries_the_titles_of_the_pages_the_page_links_to(settings, embedder) -> None:
    (settings.content_dir / "phone-trees.md").write_text(
        "---\ntitle: Phone trees\nkind: method\nsummary: Like [[house-visits]], but by phone."
        "\n---\n## Use it for\nReaching [[case-studies/tenant-strike|strikers]] and "
        "[[no-such-page]] fast.\n"
    )
    build_index(settings, embedder)
    kb = KnowledgeBase.open(settings, embedder)
    assert dict(kb.lookup("phone-trees").link_titles) == {
        "house-visits": "House visits",
        "case-studies/tenant-strike": "The tenant strike",
    }
    # In the asker's language when the linked page is translated.
    assert dict(kb.lookup("phone-trees", lang="de").link_titles)["house-visits"] == "Hausbesuche"


def test_status_of_a_build_pruned_from_under_a_running_process_says_reload(kb) -> None:
    shutil.rmtree(kb.build.folder)
    (problem,) = kb.status().problems
    assert "no longer on disk" in problem and "/kb reload" in problem


def test_lookup_reads_only_the_first_max_name_chars(kb) -> None:
    # Past the limit another page's name follows; read whole, it would win (or match nothing).
    name = "One-to-ones".ljust(MAX_NAME_CHARS) + "House meetings " * 400

    found = kb.lookup(name, kinds=["method"])

    assert found.page is not None and found.page.slug == "one-to-ones"


def test_completion_of_a_6000_character_text_matches_its_first_max_name_chars(kb) -> None:
    text = "house vist".ljust(MAX_NAME_CHARS) + "rent pledges " * 460

    completed = kb.complete(text)

    assert len(text) > 6000
    assert completed == kb.complete("house vist")
    assert completed[0].slug == "house-visits"
    assert kb.suggest(text) == kb.suggest("house vist")


def test_fuzzy_matching_never_sees_more_than_max_name_chars(kb, monkeypatch) -> None:
    seen: list[int] = []
    real = names.process.cdist

    def spy(queries, choices, **kwargs):
        seen.extend(len(query) for query in queries)
        return real(queries, choices, **kwargs)

    monkeypatch.setattr(names.process, "cdist", spy)
    found = kb.lookup("zq" * 3000)
    completed = kb.complete("power " * 1000)

    assert found.page is None and len(found.suggestions) <= 3
    assert completed and completed[0].slug == "power-mapping"
    assert seen and max(seen) <= MAX_NAME_CHARS


def test_the_intent_reads_the_last_sentence_of_a_question_that_tells_its_situation_first(
    kb,
) -> None:
    told = "Our rally was half empty. The volunteers are upset. What went wrong?"
    asked = "What went wrong?"
    encoder = kb.intents.encoder
    shape = weights_shape(encoder.dimension)
    weights = np.random.default_rng(1).normal(0, 3, shape).astype(np.float32)
    kb.intents.learned = LearnedIntent(weights, signature(encoder))
    (query,) = kb._queries([told, asked], [Question(told), Question(asked)])[:1]
    vectors = encoder.embed([told, asked])

    assert query.intent == pytest.approx(kb.intents.scores(vectors[0], told, vectors[1]))
    assert query.intent != pytest.approx(kb.intents.scores(vectors[0], told, None))
    # A one-sentence question is its own ask: nothing more is encoded for it.
    alone = kb._queries([asked], [Question(asked)])[0]
    assert alone.intent == pytest.approx(kb.intents.scores(vectors[1], asked, None))


def test_opening_a_knowledge_base_leaves_numpy_one_blas_thread(settings, embedder) -> None:
    # Spinning BLAS threads after each small product slowed the encoder that ran next.
    def blas_threads() -> list[int]:
        return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]

    build_index(settings, embedder)
    threadpool_limits(2, user_api="blas")  # as numpy starts on two cores
    assert 2 in blas_threads()
    KnowledgeBase.open(settings, embedder)
    assert blas_threads() and all(n == 1 for n in blas_threads())
