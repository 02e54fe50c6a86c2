"""Page cards and autocomplete choices fit Discord's limits."""

from __future__ import annotations

from bot.render import choices, embed_length, page_card
from retrieval import Page, PageRef, Section


def test_choices_respect_25_and_100_characters() -> None:
    refs = [PageRef(f"page-{i}", "T" * 150, "method") for i in range(40)] + [
        PageRef("s" * 101, "x", "method")
    ]
    picked = choices(refs)
    assert len(picked) == 25
    assert all(len(name) <= 100 and len(value) <= 100 for name, value in picked)


def test_a_page_card_with_a_huge_section_fits() -> None:
    page = Page(
        "p",
        "p.md",
        "P",
        "method",
        sections=(Section("Use it for", "use-it-for", "word " * 5000, 3),),
        summary="s " * 3000,
    )
    embed = page_card(page, lang="en")
    assert embed_length(embed) <= 6000 and len(embed["description"]) <= 4096


def test_links_in_a_card_show_the_linked_pages_titles() -> None:
    page = Page(
        "distributed-organizing", "distributed-organizing.md", "Distributed organizing",
        "method", summary="Builds on [[sources/civil-resistance-2-0]] and [[one-to-ones|1:1s]].",
        sections=(Section("Use it for", "use-it-for", "See [[gone-page]].", 3),),
    )  # fmt: skip
    titles = {"sources/civil-resistance-2-0": "Civil Resistance 2.0"}
    embed = page_card(page, lang="en", titles=titles)
    assert embed["description"] == "Builds on Civil Resistance 2.0 and 1:1s."
    # A page the build does not have keeps a readable name, never the raw slug.
    assert embed["fields"][2]["value"] == "See gone page."
