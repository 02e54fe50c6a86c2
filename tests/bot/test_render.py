"""Rendering answers and pages to embed dicts: every Discord limit holds for any input."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.render import (
    answer_buttons,
    answer_embed,
    choices,
    clip,
    embed_length,
    fit_embed,
    page_card,
)
from bot.render.components import CUSTOM_ID, page_id
from retrieval.models import Answer, Citation, Page, PageRef, Section

text = st.text(min_size=0, max_size=9000)


def citation(snippet: str = "Listen far more than you talk.", **changes: object) -> Citation:
    values: dict[str, object] = dict(
        slug="one-to-ones",
        title="One-to-ones",
        section="How it works",
        kind="method",
        status="established",
        tier="core",
        lang="en",
        snippet=snippet,
        score=0.8,
        url="https://wiki.example.org/one-to-ones#how-it-works",
        marks=((0, 6),),
    )
    return Citation(**(values | changes))  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None)
@given(title=text, description=text, values=st.lists(text, max_size=40))
def test_fit_embed_keeps_every_limit(title: str, description: str, values: list[str]) -> None:
    embed = {
        "title": title,
        "description": description,
        "fields": [{"name": v[:300], "value": v} for v in values],
        "footer": {"text": description},
    }
    fitted = fit_embed(embed)
    assert len(fitted.get("title", "")) <= 256
    assert len(fitted.get("description", "")) <= 4096
    assert len(fitted.get("fields", [])) <= 25
    assert all(
        len(f["name"]) <= 256 and 0 < len(f["value"]) <= 1024 for f in fitted.get("fields", [])
    )
    assert embed_length(fitted) <= 6000


@settings(max_examples=40, deadline=None)
@given(question=text, snippets=st.lists(text, min_size=1, max_size=10))
def test_any_answer_renders_within_limits(question: str, snippets: list[str]) -> None:
    answer = Answer(question, True, tuple(citation(s, marks=((0, 3), (5, 50))) for s in snippets))
    embed = answer_embed(answer, lang="en")
    assert embed_length(embed) <= 6000
    assert len(embed["title"]) <= 256


def test_question_terms_are_bold_and_the_wiki_text_is_escaped() -> None:
    answer = Answer("listen", True, (citation("Listen *really* well."),))
    value = answer_embed(answer, lang="en")["fields"][0]["value"]
    assert value.startswith(r"> **Listen** \*really\* well.")


def test_no_answer_lists_see_also_with_links() -> None:
    answer = Answer("zzz", False, see_also=(citation(),))
    embed = answer_embed(answer, lang="es")
    assert embed["description"] == "No encontré una respuesta fundamentada en la wiki."
    assert (
        "[One-to-ones](https://wiki.example.org/one-to-ones#how-it-works)"
        in embed["fields"][0]["value"]
    )


def test_buttons_fit_rows_and_ids() -> None:
    answer = Answer("q", True, (citation(),))
    specs = answer_buttons(answer, lang="en", ref="q1f", more=True, organiser=True)
    assert [s.custom_id or s.url for s in specs] == [
        "ob:more:q1f:1",
        "ob:rel:one-to-ones",
        "https://wiki.example.org/one-to-ones#how-it-works",
        "ob:vote:q1f:up",
        "ob:vote:q1f:down",
        "ob:org:q1f",
    ]


def test_a_slug_too_long_for_a_custom_id_gets_no_button() -> None:
    assert page_id("x" * (CUSTOM_ID - len("ob:page:"))) is not None
    assert page_id("x" * 100) is None


def test_choices_respect_25_and_100_characters() -> None:
    refs = [PageRef(f"page-{i}", "T" * 150, "method") for i in range(40)] + [
        PageRef("s" * 101, "x", "method")
    ]
    picked = choices(refs)
    assert len(picked) == 25
    assert all(len(name) <= 100 and len(value) <= 100 for name, value in picked)


def test_clip_cuts_at_a_word_and_never_leaves_a_dangling_escape() -> None:
    assert clip("one two three four five", 16) == "one two three…"
    assert clip("a" * 9 + "\\" + "b" * 10, 11) == "a" * 9 + "…"


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
