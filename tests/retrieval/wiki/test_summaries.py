"""Extractive summaries: which pages need one, what is picked, how it is written."""

from __future__ import annotations

from retrieval.wiki.loader import load_pages, parse_page
from retrieval.wiki.summaries import needs_summary, summarize, write_summary
from tests.fakeembedder import FakeEmbedder

PAGE = """---
title: Phone trees
kind: method
summary: TBD — distil a summary.
tags: [contact]
---

A phone tree passes urgent news through a group in minutes.

## How it works
Each member calls three others, who each call three more. Within four rounds a phone tree
reaches eighty people. The tree works when every caller knows whom to call and what to say.

## How to use it
Write the tree down and test it twice a year with a harmless message. Replace callers who
move away. Keep the message short enough to pass on without notes.

## Sources & verification
- field-notes — grounding: secondary
"""


def test_placeholder_and_missing_summaries_need_one() -> None:
    page, _ = parse_page(PAGE.encode(), "phone-trees.md")
    assert needs_summary(page)
    written, _ = parse_page(
        PAGE.replace("TBD — distil a summary.", "Calls in a chain.").encode(), "p.md"
    )
    assert not needs_summary(written)


def test_summary_is_two_to_four_body_sentences_in_order() -> None:
    page, _ = parse_page(PAGE.encode(), "phone-trees.md")
    proposal = summarize(page, FakeEmbedder())
    assert proposal is not None and 2 <= proposal.sentences <= 4
    body = " ".join(page.lead.split() + [w for s in page.sections for w in s.text.split()])
    positions = []
    for sentence in proposal.summary.split(". "):
        first_words = " ".join(sentence.split()[:4])
        assert first_words in body
        positions.append(body.index(first_words))
    assert positions == sorted(positions)
    assert "grounding" not in proposal.summary  # sources are not prose


def test_write_summary_marks_it_extracted_and_keeps_other_fields(tmp_path) -> None:
    path = tmp_path / "phone-trees.md"
    path.write_text(PAGE)
    write_summary(path, "A phone tree passes news fast: each member calls three others.")
    result = load_pages(tmp_path)
    assert result.errors == ()
    page = result.pages[0]
    assert page.summary == "A phone tree passes news fast: each member calls three others."
    assert page.summary_source == "extracted"
    assert page.tags == ("contact",) and page.title == "Phone trees"
    assert page.sections[0].heading == "How it works"
