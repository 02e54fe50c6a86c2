"""Answers as embeds and buttons: cited passages, marks, see-also, within every limit."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.render import answer_buttons, answer_embed, embed_length
from retrieval import Answer, Citation

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
