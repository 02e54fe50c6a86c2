"""Name matching: on a wiki too big to score every name, the shortlist still finds the best."""

from __future__ import annotations

import itertools

import pytest

from retrieval.models import Page
from retrieval.search import names
from retrieval.search.names import PageNames

SUBJECTS = ("tenant", "warehouse", "student", "nurse", "teacher", "cleaner")
ACTIONS = ("house meetings", "rent pledges", "power mapping", "door knocking", "strike committees")
PLACES = ("Harbourtown", "Millbrook", "Eastfield", "Riverside", "Northgate", "Example City")
SMALL_SHORTLIST = 16


def many_pages() -> list[Page]:
    """180 pages whose names share most of their words, as a big wiki's do."""
    pages = []
    for n, (subject, action, place) in enumerate(itertools.product(SUBJECTS, ACTIONS, PLACES)):
        kind = "thinker" if n % 5 == 0 else "method"
        title = f"{subject.capitalize()} {action} in {place}"
        slug = f"{'thinkers/' if kind == 'thinker' else ''}{subject}-{action}-{place}".casefold()
        alias = f"{action} for {subject}s"
        pages.append(Page(slug.replace(" ", "-"), f"{slug}.md", title, kind, aliases=(alias,)))
    return pages


def every_name_scored(matcher: PageNames, text: str, *kinds: str) -> list[tuple[str, float]]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(names, "SHORTLIST", 10**9)
        return matcher.best(text, kinds, limit=3)


@pytest.mark.parametrize(
    "text",
    [
        "warehouse st",  # a few letters typed: a subsequence of nearly every name
        "Nurse door knocking in Millbrok",  # a typo
        "Riverside in meetings house teacher",  # words in another order
        "rent pledges for cleaners",  # an alias
    ],
)
def test_the_shortlist_finds_the_page_scoring_every_name_would(monkeypatch, text) -> None:
    matcher = PageNames(many_pages())
    expected = every_name_scored(matcher, text)
    scored: list[int] = []
    real = names.process.cdist

    def spy(queries, choices, **kwargs):
        if kwargs.get("scorer") is names.fuzz.WRatio:
            scored.append(len(choices))
        return real(queries, choices, **kwargs)

    monkeypatch.setattr(names, "SHORTLIST", SMALL_SHORTLIST)
    monkeypatch.setattr(names.process, "cdist", spy)
    found = matcher.best(text, limit=3)

    assert scored == [SMALL_SHORTLIST]  # the shortlist was used, not every name
    assert found[0] == expected[0]


def test_kinds_limit_the_pages_matched(monkeypatch) -> None:
    monkeypatch.setattr(names, "SHORTLIST", SMALL_SHORTLIST)
    matcher = PageNames(many_pages())

    found = matcher.best("tenant strike committees", ["thinker"], limit=25)

    assert found and all(slug.startswith("thinkers/") for slug, _ in found)
    assert found[0] == every_name_scored(matcher, "tenant strike committees", "thinker")[0]


def test_translations_blank_text_and_weak_matches_are_not_offered() -> None:
    original = Page("house-visits", "house-visits.md", "House visits", "method")
    german = Page("de/house-visits", "de/house-visits.md", "Hausbesuche", "method", lang="de",
                  translation_of="house-visits")  # fmt: skip
    matcher = PageNames([original, german])

    assert [slug for slug, _ in matcher.best("Hausbesuche")] == []
    assert matcher.best("   ") == []
    assert matcher.best("house visits") == [("house-visits", 1.0)]
