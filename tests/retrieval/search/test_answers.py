"""Answers from the fixture wiki: what is quoted, cited, refused, and in which language."""

from __future__ import annotations

import pytest

from retrieval import Question, build_index
from retrieval.search.answers import COSINE_THRESHOLD, Answerer
from retrieval.search.grounding import GroundingModel
from retrieval.search.ranking import MAX_QUESTION_CHARS
from retrieval.service import KnowledgeBase
from retrieval.settings import AnswerSettings

STUB_DE = """---
title: Mietversprechen
kind: method
lang: de
translation_of: rent-pledges
status: stub
summary: Noch zu schreiben.
---
"""


def test_answer_quotes_the_relevant_section_with_link_and_marks(kb) -> None:
    answer = kb.ask(
        Question("what happens when tenants sign a rent pledge to withhold rent together")
    )
    assert answer.answered
    top = answer.citations[0]
    assert top.slug == "rent-pledges"
    assert top.url is not None and top.url.startswith("https://wiki.example.org/rent-pledges")
    assert (top.kind, top.status, top.tier) == ("method", "emerging", "verify-then-use")
    marked = {top.snippet[a:b].casefold() for a, b in top.marks}
    assert {"rent", "withhold"} <= marked


def test_snippet_is_the_most_relevant_sentences_not_the_start(kb) -> None:
    answer = kb.ask(Question("landlords negotiate repairs when the building acts as one"))
    how = next(c for c in answer.citations if c.section == "How it works")
    assert "Landlords facing a building" in how.snippet
    assert not how.snippet.startswith("Tenants in one building sign")


def test_exact_title_comes_first(kb) -> None:
    answer = kb.ask(Question("house visits"))
    assert answer.citations[0].slug == "house-visits"
    assert kb.ask(Question("door knocking")).citations[0].slug == "house-visits"  # alias


def test_at_most_one_hit_per_section(kb) -> None:
    hits = kb.search("house visit organiser door resident listen", k=20)
    keys = [(h.passage.slug, h.passage.section) for h in hits]
    assert len(keys) == len(set(keys))


def test_stub_pages_are_not_quoted_unless_asked(kb) -> None:
    question = "raffle and membership dues for seed funding"
    assert all(c.slug != "seed-funding" for c in kb.ask(Question(question)).citations)
    included = kb.ask(Question(question, include_stubs=True))
    assert included.citations[0].slug == "seed-funding"


def test_unrelated_question_gets_honest_no_without_padding(kb) -> None:
    answer = kb.ask(Question("quantum chromodynamics lattice gauge", threshold=0.3))
    assert not answer.answered
    assert answer.citations == ()
    assert answer.see_also == ()


def test_see_also_is_at_most_three_distinct_pages(kb) -> None:
    answer = kb.ask(Question("tenants neighbours door rent organiser", threshold=0.99))
    assert not answer.answered
    slugs = [c.slug for c in answer.see_also]
    assert 0 < len(slugs) <= 3 and len(set(slugs)) == len(slugs)


def test_asker_language_version_is_preferred(kb) -> None:
    answer = kb.ask(Question("Organizerin klingelt an der Tür und hört zu", lang="de"))
    assert answer.citations[0].slug == "de/house-visits"
    assert answer.citations[0].lang == "de"


def test_falls_back_to_english_and_says_so(kb) -> None:
    answer = kb.ask(Question("rent pledge signatures threshold", lang="de"))
    assert answer.citations[0].slug == "rent-pledges"
    assert answer.fell_back_to == "en"
    assert kb.ask(Question("rent pledge signatures threshold", lang="en")).fell_back_to is None


def test_english_asker_gets_original_not_translation(kb) -> None:
    answer = kb.ask(Question("Hausbesuche Organizerin klingelt", lang="en"))
    assert all(not c.slug.startswith("de/") for c in answer.citations)


@pytest.mark.parametrize(
    ("question", "notice"),
    [("", "empty"), ("   \n\t ", "empty"), ("?!?! ... ---", "no words"), ("🔥🔥🚀", "no words")],
)
def test_questions_without_words_get_a_clear_notice(kb, question, notice) -> None:
    answer = kb.ask(Question(question))
    assert not answer.answered
    assert notice in (answer.notice or "")


def test_very_long_question_is_cut_with_notice(kb) -> None:
    answer = kb.ask(Question("how do house visits work " * 500))
    assert len("how do house visits work " * 500) > MAX_QUESTION_CHARS
    assert answer.answered
    assert "first 1,000 characters" in (answer.notice or "")


def test_unexpected_script_does_not_crash(kb) -> None:
    for question in ["如何组织租户罢工", "كيف ننظم إضراب الإيجار", "Как организовать забастовку"]:
        answer = kb.ask(Question(question))
        assert answer.question == question
        assert isinstance(answer.answered, bool)


def test_more_results_pages_through_citations(kb) -> None:
    first = kb.ask(Question("house visits organiser door", limit=1))
    second = kb.ask(Question("house visits organiser door", limit=1, offset=1))
    assert first.citations and second.citations
    assert (first.citations[0].slug, first.citations[0].section) != (
        second.citations[0].slug,
        second.citations[0].section,
    )
    assert first.more is True


def test_stub_may_be_listed_as_see_also_but_never_quoted(kb) -> None:
    answer = kb.ask(Question("rent pledge raffle membership dues", threshold=0.99))
    assert not answer.answered and answer.citations == ()
    assert answer.unwritten is None  # the stub is close, but not close enough to name
    assert "seed-funding" in [c.slug for c in answer.see_also]
    assert next(c for c in answer.see_also if c.slug == "seed-funding").status == "stub"


def test_a_stub_that_matches_best_is_named_as_not_written_yet(kb) -> None:
    answer = kb.ask(Question("raffle membership dues seed funding"))

    assert not answer.answered and answer.citations == () and answer.see_also == ()
    assert answer.unwritten is not None
    assert (answer.unwritten.slug, answer.unwritten.status) == ("seed-funding", "stub")
    assert answer.unwritten.url == "https://wiki.example.org/seed-funding"
    assert kb.ask(Question("raffle membership dues seed funding", include_stubs=True)).answered


def test_how_to_question_leads_with_the_steps_of_the_same_page(kb) -> None:
    plain = kb.search("house visits organiser conversation", k=10)
    how_to = kb.search("how do I do house visits organiser conversation", k=10)
    pages = [h.page.slug for h in plain]
    assert pages[0] == "house-visits"
    assert how_to[0].page.slug == "house-visits"
    assert how_to[0].passage.section in ("How to use it", "How it works")
    # Only the order of a page's own sections changes, never which pages lead.
    assert [h.page.slug for h in kb.search("house visits organiser conversation steps", k=10)][
        :1
    ] == ["house-visits"]


def test_stub_translation_does_not_hide_the_english_answer(settings, embedder) -> None:
    (settings.content_dir / "de" / "rent-pledges.md").write_text(STUB_DE)
    build_index(settings, embedder)
    kb = KnowledgeBase.open(settings, embedder)
    answer = kb.ask(Question("rent pledge signatures threshold withhold", lang="de"))
    assert answer.answered
    assert answer.citations[0].slug == "rent-pledges"
    assert answer.fell_back_to == "en"
    assert kb.page("rent-pledges", "de") == (kb.build.pages["rent-pledges"], True)


def test_undecodable_bytes_in_a_question_are_replaced_not_fatal(kb) -> None:
    answer = kb.ask(Question("house \udcff visits door"))  # how a terminal passes a stray 0xff byte
    assert answer.answered


def test_the_threshold_is_the_one_calibrated_for_the_questions_language_unless_set() -> None:
    grounding = GroundingModel({}, (), (), (0.0,), 0.47, "", 0.7, features=())

    calibrated = Answerer(AnswerSettings(), None, grounding)
    assert (calibrated.threshold("en"), calibrated.threshold("es")) == (0.47, 0.7)
    configured = Answerer(AnswerSettings(threshold=0.6), None, grounding)
    assert configured.threshold("en") == configured.threshold("es") == 0.6
    assert Answerer(AnswerSettings(), None, None).threshold("de") == COSINE_THRESHOLD
