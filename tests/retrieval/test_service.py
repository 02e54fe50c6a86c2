"""The knowledge base's page calls: lookup by slug and language, completion, related pages."""

from __future__ import annotations


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
