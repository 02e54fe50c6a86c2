"""Which section of a page leads for a question: intent scores and section kinds."""

from __future__ import annotations

from retrieval.index.kinds import section_kinds
from retrieval.index.store import StoredPassage
from retrieval.models import Page
from retrieval.search.ranking import Hit
from retrieval.search.sections import INTENT_WEIGHT, IntentModel, sections_by_fit
from tests.fakeembedder import FakeEmbedder


def hit(slug: str, anchor: str, kind: str, dense: float) -> Hit:
    passage = StoredPassage(0, slug, anchor.title(), anchor, kind, 0, "text", (), {})
    return Hit(passage, Page(slug, f"{slug}.md", slug, "method"), dense, 0.0)


def test_the_section_asked_for_leads_its_page_and_pages_keep_their_places() -> None:
    hits = [
        hit("a", "summary", "definition", 0.60),
        hit("b", "overview", "definition", 0.58),
        hit("a", "sources", "sources", 0.62),
        hit("a", "how-to-use-it", "how-to", 0.50),
    ]
    how_to = {"how-to": 0.06, "sources": -0.05, "definition": 0.0}

    ordered = sections_by_fit(hits, how_to)

    assert [h.passage.slug for h in ordered] == ["a", "b", "a", "a"]
    assert [h.passage.anchor for h in ordered if h.passage.slug == "a"] == [
        "how-to-use-it",
        "summary",
        "sources",
    ]
    # With no intent, cosine alone orders a page's sections.
    assert sections_by_fit(hits, {})[0].passage.anchor == "sources"


def test_intent_is_weak_against_a_much_closer_section() -> None:
    hits = [hit("a", "summary", "definition", 0.9), hit("a", "how-to-use-it", "how-to", 0.2)]
    assert INTENT_WEIGHT * 0.06 < 0.7
    assert sections_by_fit(hits, {"how-to": 0.06})[0].passage.anchor == "summary"


def test_intent_scores_follow_the_typical_questions_of_each_kind() -> None:
    encoder = FakeEmbedder()
    intents = IntentModel(encoder)

    risks_asked = "what can go wrong, what are the risks"
    steps_asked = "how do we do this step by step"
    risks = intents.scores(encoder.embed([risks_asked])[0], risks_asked)
    steps = intents.scores(encoder.embed([steps_asked])[0], steps_asked)

    assert max(risks, key=risks.__getitem__) == "risks"
    assert max(steps, key=steps.__getitem__) == "how-to"
    assert abs(sum(risks.values())) < 1e-6  # centred: only relative closeness counts


def test_section_kinds_from_headings_and_a_translation_from_its_original() -> None:
    encoder = FakeEmbedder()
    texts = [
        "Summary text",
        "A visit builds trust because people meet face to face",
        "Knock on doors in pairs and ask one question",
        "Visiting at the wrong hour annoys people",
        "Knock on doors in pairs and ask one question",  # the translation's steps section
    ]
    passages = [
        ("visits", "Summary", None),
        ("visits", "How it works", None),
        ("visits", "How to use it", None),
        ("visits", "Potential risks", None),
        ("de/visits", "So geht ihr vor", "visits"),
    ]

    kinds = section_kinds(passages, encoder.embed(texts), encoder)

    # "How it works" is not what "what is it?" asks for: its own kind, no intent lifts it.
    assert kinds == ["definition", "mechanism", "how-to", "risks", "how-to"]
