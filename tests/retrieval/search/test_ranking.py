"""How pages are ordered and which version of a page is quoted."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np

from retrieval.embedding import MULTILINGUAL
from retrieval.index.store import StoredPassage
from retrieval.models import Page
from retrieval.search.ranking import (
    PAGE_SUPPORT,
    PRECEDENT_WEIGHT,
    WHOLE_PAGES,
    Hit,
    Query,
    _with_page_support,
    _with_page_votes,
    _with_whole_pages,
    _without_language_bias,
    in_language,
)
from retrieval.search.sections import sections_by_fit


def hit(slug: str, anchor: str, fused: float) -> Hit:
    passage = StoredPassage(0, slug, anchor.title(), anchor, "definition", 0, "text", (), {})
    return Hit(passage, Page(slug, f"{slug}.md", slug, "method"), 0.5, fused)


def test_a_page_whose_second_passage_matches_too_moves_ahead() -> None:
    hits = [
        hit("lucky", "summary", 0.033),
        hit("steady", "summary", 0.032),
        hit("steady", "how-to-use-it", 0.030),
        hit("lucky", "examples", 0.010),
    ]

    supported = _with_page_support(hits)

    by_anchor = {(h.passage.slug, h.passage.anchor): h.fused for h in supported}
    assert by_anchor[("steady", "summary")] == 0.032 + PAGE_SUPPORT * 0.030
    assert by_anchor[("lucky", "summary")] == 0.033 + PAGE_SUPPORT * 0.010
    assert max(supported, key=lambda h: h.fused).passage.slug == "steady"


def test_a_page_with_one_passage_keeps_its_score() -> None:
    (alone,) = _with_page_support([hit("alone", "summary", 0.02)])
    assert alone.fused == 0.02


def test_pages_earlier_questions_were_answered_by_gain_their_share_of_the_votes() -> None:
    hits = [hit("near-miss", "summary", 0.033), hit("answer", "steps", 0.030)]

    voted = _with_page_votes(hits, {"answer": 0.75, "other": 0.25})

    assert [h.fused for h in voted] == [0.033, 0.030 + PRECEDENT_WEIGHT * 0.75]
    assert max(voted, key=lambda h: h.fused).passage.slug == "answer"
    assert _with_page_votes(hits, {}) == hits


def stub_build(passages: list[StoredPassage], vectors: list[list[float]], pages: list[Page]) -> Any:
    """The parts of a LoadedBuild the two functions below read, over hand-made vectors."""
    by_slug: dict[str, list[int]] = {}
    for passage in passages:
        by_slug.setdefault(passage.slug, []).append(passage.id)
    versions = {(p.original_slug, p.lang): p.slug for p in pages}

    def version_for(original: str, lang: str) -> tuple[str, bool]:
        found = versions.get((original, lang))
        return (found, False) if found else (original, True)

    matrix = np.array(vectors, dtype=np.float32)
    return SimpleNamespace(
        passages=passages, pages={p.slug: p for p in pages}, by_slug=by_slug,
        matrices={MULTILINGUAL: matrix}, version_for=version_for,
    )  # fmt: skip


def passage(pid: int, slug: str, anchor: str, kind: str) -> StoredPassage:
    return StoredPassage(pid, slug, anchor.title(), anchor, kind, 0, "text", (), {})


GERMAN_ONE_TO_ONES = Page(
    "de/one-to-ones", "de/one-to-ones.md", "Einzelgespräche", "method", lang="de",
    translation_of="one-to-ones",
)  # fmt: skip


def german_query(vector: list[float], intent: dict[str, float] | None = None) -> Query:
    query = np.array(vector, dtype=np.float32)
    return Query("frage", "de", {MULTILINGUAL: query / np.linalg.norm(query)}, intent or {})


def test_a_passage_in_the_question_language_loses_its_head_start() -> None:
    pages = [
        Page("rent-strikes", "rent-strikes.md", "Rent strikes", "method"),
        GERMAN_ONE_TO_ONES,
    ]  # fmt: skip
    passages = [passage(0, "de/one-to-ones", "summary", "definition"),
                passage(1, "rent-strikes", "summary", "definition")]  # fmt: skip
    # The German passage is a little closer (0.62 against 0.60), less than the bias.
    build = stub_build(passages, [[0.62, 0.7846], [0.60, 0.80]], pages)
    query = german_query([1.0, 0.0])

    assert _without_language_bias(build, query, [0, 1]) == [1, 0]
    assert _without_language_bias(build, query, []) == []
    # Far closer in its own language, it still comes first.
    build = stub_build(passages, [[0.90, 0.4359], [0.60, 0.80]], pages)
    assert _without_language_bias(build, query, [0, 1]) == [0, 1]


def test_moving_to_a_translation_picks_the_section_the_question_asks_for() -> None:
    pages = [
        Page("one-to-ones", "one-to-ones.md", "One-to-ones", "method"),
        GERMAN_ONE_TO_ONES,
    ]  # fmt: skip
    passages = [
        passage(0, "one-to-ones", "potential-risks", "risks"),
        passage(1, "de/one-to-ones", "summary", "definition"),
        passage(2, "de/one-to-ones", "risiken", "risks"),
    ]
    build = stub_build(passages, [[1.0, 0.0], [0.80, 0.60], [0.70, 0.7141]], pages)
    query = german_query([1.0, 0.0], {"risks": 0.06, "definition": -0.02})
    english = Hit(passages[0], pages[0], 1.0, 0.03)

    moved, fell_back = in_language(build, english, "de", query)
    assert (moved.passage.anchor, fell_back) == ("risiken", False)
    # Without the intent (the dense-only half), the closer summary is taken.
    plain, _ = in_language(build, english, "de", query, by_fit=False)
    assert plain.passage.anchor == "summary"


def test_the_first_pages_offer_every_section_even_those_no_ranking_reached() -> None:
    pages = [Page(f"p{n}", f"p{n}.md", f"P{n}", "method") for n in range(WHOLE_PAGES + 1)]
    last = WHOLE_PAGES  # the first page beyond those completed
    passages = [
        passage(0, "p0", "how-it-works", "mechanism"),
        passage(1, "p0", "examples", "examples"),
        passage(2, "p0", "examples", "examples"),  # a second chunk of the same section
        *(passage(n + 2, f"p{n}", "summary", "definition") for n in range(1, last + 1)),
        passage(last + 3, f"p{last}", "examples", "examples"),
    ]
    vectors = [[1.0, 0.0], [0.6, 0.8], [0.8, 0.6]] + [[0.5, 0.8660]] * (last + 1)
    build = stub_build(passages, vectors, pages)
    query = german_query([1.0, 0.0], {"examples": 0.3})
    # The rankings reached p0's first section and one section of each other page.
    found = [Hit(passages[0], pages[0], 1.0, 0.05)] + [
        Hit(passages[n + 2], pages[n], 0.5, 0.04 - n / 1000) for n in range(1, last + 1)
    ]

    whole = _with_whole_pages(build, query, found)

    assert whole[: len(found)] == found  # nothing found moves
    # p0's examples section is added last, by its chunk closest to the question; the page
    # beyond the first WHOLE_PAGES is not completed.
    assert [(h.passage.id, round(h.dense, 3), h.fused) for h in whole[len(found) :]] == [
        (2, 0.8, 0.0)
    ]
    assert sections_by_fit(whole, query.intent)[0].passage.anchor == "examples"
    assert _with_whole_pages(build, query, whole) == whole  # already whole: unchanged
