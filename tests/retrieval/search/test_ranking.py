"""How pages are ordered: a page with a second matching passage beats one lucky passage."""

from __future__ import annotations

from retrieval.index.store import StoredPassage
from retrieval.models import Page
from retrieval.search.ranking import PAGE_SUPPORT, Hit, _with_page_support


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
