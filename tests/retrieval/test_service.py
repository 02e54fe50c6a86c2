"""The knowledge base's page calls: lookup by slug and language, completion, related pages."""

from __future__ import annotations

from retrieval.search import names
from retrieval.service import MAX_NAME_CHARS


def test_page_lookup_complete_and_related(kb) -> None:
    page, fell_back = kb.page("house-visits", lang="de")
    assert page.slug == "de/house-visits" and fell_back is False
    page, fell_back = kb.page("rent-pledges", lang="de")
    assert page.slug == "rent-pledges" and fell_back is True
    assert kb.page("nope") is None
    assert kb.complete("house vist")[0].slug == "house-visits"
    assert [r.slug for r in kb.complete("", kinds=["source"])] == [
        "sources/field-manual",
        "sources/field-notes",
    ]
    assert len(kb.complete("", limit=2)) == 2
    assert all(not r.slug.startswith("de/") for r in kb.complete("Hausbesuche"))
    assert [r.slug for r in kb.related("house-visits")] == ["rent-pledges"]
    assert kb.suggest("rent pledgs")[0].slug == "rent-pledges"


def test_lookup_reads_only_the_first_max_name_chars(kb) -> None:
    # Past the limit another page's name follows; read whole, it would win (or match nothing).
    name = "One-to-ones".ljust(MAX_NAME_CHARS) + "House meetings " * 400

    found = kb.lookup(name, kinds=["method"])

    assert found.page is not None and found.page.slug == "one-to-ones"


def test_completion_of_a_6000_character_text_matches_its_first_max_name_chars(kb) -> None:
    text = "house vist".ljust(MAX_NAME_CHARS) + "rent pledges " * 460

    completed = kb.complete(text)

    assert len(text) > 6000
    assert completed == kb.complete("house vist")
    assert completed[0].slug == "house-visits"
    assert kb.suggest(text) == kb.suggest("house vist")


def test_fuzzy_matching_never_sees_more_than_max_name_chars(kb, monkeypatch) -> None:
    seen: list[int] = []
    real = names.process.cdist

    def spy(queries, choices, **kwargs):
        seen.extend(len(query) for query in queries)
        return real(queries, choices, **kwargs)

    monkeypatch.setattr(names.process, "cdist", spy)
    found = kb.lookup("zq" * 3000)
    completed = kb.complete("power " * 1000)

    assert found.page is None and len(found.suggestions) <= 3
    assert completed and completed[0].slug == "power-mapping"
    assert seen and max(seen) <= MAX_NAME_CHARS
