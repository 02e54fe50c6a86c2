"""Which pages a question names, as the reader finds them for ranking."""

from __future__ import annotations

from retrieval.index.reader import _page_names, pages_named
from retrieval.models import Page

PAGES = [
    Page("strategy-chart", "strategy-chart.md", "Strategy chart", "framework",
         aliases=("Midwest Academy strategy chart", "tableau stratégique")),
    Page("sources/midwest-academy", "sources/midwest-academy.md", "Midwest Academy", "source"),
    Page("methods-of-nonviolent-action", "methods-of-nonviolent-action.md",
         "Methods of nonviolent action", "concept", aliases=("198 métodos",)),
    Page("thinkers/gene-sharp", "thinkers/gene-sharp.md", "Gene Sharp", "thinker"),
]  # fmt: skip
NAMES = _page_names(PAGES)


def test_a_name_inside_a_longer_name_the_question_uses_does_not_count() -> None:
    assert pages_named(NAMES, "How do we fill in the Midwest Academy strategy chart?") == [
        "strategy-chart"
    ]
    # Used on its own, the shorter name still names its page.
    assert pages_named(NAMES, "Who founded the Midwest Academy? Is their strategy chart good?") == [
        "sources/midwest-academy", "strategy-chart",
    ]  # fmt: skip


def test_names_match_without_their_accents_and_each_page_once() -> None:
    found = pages_named(NAMES, "que son los 198 metodos de gene sharp, y los 198 METODOS?")

    assert found == ["methods-of-nonviolent-action", "thinkers/gene-sharp"]
    assert pages_named(NAMES, "Comment remplir le tableau strategique ?") == ["strategy-chart"]
    assert pages_named(NAMES, "How do we plan a march?") == []
