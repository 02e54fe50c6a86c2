"""A page's Markdown as a reader sees it: plain text, then the units a citation quotes."""

from __future__ import annotations

from retrieval.search.snippets import make_snippet, with_announced_items
from retrieval.wiki.text import plain_text, sentences


def test_plain_text_shows_link_labels_and_drops_markup() -> None:
    text = "Use [[power-mapping|a power map]] and **then** [[case-studies/salt-march]]."
    assert plain_text(text) == "Use a power map and then salt march."


def test_sentences_join_wrapped_lines_and_keep_list_items_whole() -> None:
    text = "First sentence runs\nover two lines. Second one.\n\n- an item\n  that wraps\n- another"
    assert sentences(text) == [
        "First sentence runs over two lines.",
        "Second one.",
        "• an item that wraps",
        "• another",
    ]


def test_links_without_a_label_show_the_page_title() -> None:
    titles = {"sources/civil-resistance-2-0": "Civil Resistance 2.0"}
    text = "See [[sources/civil-resistance-2-0]] and [[sources/unknown-page]]."
    assert plain_text(text, titles) == "See Civil Resistance 2.0 and unknown page."


def test_abbreviations_and_initials_do_not_end_a_sentence() -> None:
    text = (
        "In Browder v. Gayle the court ruled. Groups used boycotts, e.g. Otpor did. "
        "Z. B. in Berlin. It ended."
    )
    assert sentences(text) == [
        "In Browder v. Gayle the court ruled.",
        "Groups used boycotts, e.g. Otpor did.",
        "Z. B. in Berlin.",
        "It ended.",
    ]


def test_a_sentence_that_announces_a_list_brings_its_items() -> None:
    text = (
        "Some context.\n\nTo run an after-action review:\n\n1. Book a room.\n2. Ask why.\n\nLater."
    )
    units = tuple(sentences(text))
    chosen = with_announced_items(units, [1])

    assert chosen == [1, 2, 3]
    assert make_snippet(units, chosen) == (
        "… To run an after-action review:\n• Book a room.\n• Ask why."
    )


def test_announced_items_stop_at_the_length_a_quote_can_hold() -> None:
    units = ("Steps:", *(f"• Step {n}: " + "word " * 40 for n in range(10)))
    chosen = with_announced_items(units, [0])
    assert 1 < len(chosen) < len(units)
    assert len(make_snippet(units, chosen)) <= 900
