"""Pages cut into passages of about 180 words, in reading order."""

from __future__ import annotations

import itertools

from retrieval.index.passages import MAX_WORDS, split_page, split_text
from retrieval.wiki.loader import parse_page


def test_short_section_is_one_passage() -> None:
    assert split_text("One paragraph.\n\nAnother paragraph.") == [
        "One paragraph.\n\nAnother paragraph."
    ]


def test_long_section_splits_on_paragraphs_with_overlap() -> None:
    paragraphs = [f"Paragraph {i} " + "word " * 70 for i in range(8)]
    pieces = split_text("\n\n".join(paragraphs))
    assert len(pieces) > 1
    assert all(len(p.split()) <= MAX_WORDS for p in pieces)
    # Consecutive pieces share a paragraph, so an idea across the cut is still found whole.
    for left, right in itertools.pairwise(pieces):
        assert left.split("\n\n")[-1] == right.split("\n\n")[0]
    assert all(any(f"Paragraph {i} " in p for p in pieces) for i in range(8))


def test_page_passages_cover_summary_lead_and_sections_in_order() -> None:
    page, _ = parse_page(
        b"---\ntitle: T\nkind: method\nsummary: Short answer.\n---\nLead text.\n\n"
        b"## How it works\nBody.\n\n## Risks\nCareful.\n",
        "t.md",
    )
    assert page is not None
    chunks = split_page(page)
    assert [c.section for c in chunks] == ["Summary", "Overview", "How it works", "Risks"]
    assert [c.position for c in chunks] == [0, 1, 2, 3]
    assert chunks[2].embed_text(page.title) == "T — How it works\nBody."
