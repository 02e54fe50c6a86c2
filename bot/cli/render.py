"""Render an `Answer` for a terminal (rich) or as JSON.

Page and user text is printed as text, never parsed as rich markup; the few words orgbot says
itself come from `bot.i18n`, in the answer's language.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.text import Text

from retrieval import Answer, Citation

from ..i18n import language_name, t
from .output import say


def marked(citation: Citation) -> Text:
    text = Text(citation.snippet)
    for start, end in citation.marks:
        text.stylize("bold yellow", start, end)
    return text


def score_words(answer: Answer, citation: Citation) -> str:
    if answer.calibrated:
        return t("confidence", answer.lang, percent=round(citation.score * 100))
    return t("similarity", answer.lang, score=f"{citation.score:.2f}")


def citation_panel(number: int, citation: Citation, answer: Answer) -> Panel:
    where = Text(f"[{number}] {citation.title} › {citation.section}")
    meta = (
        f"{citation.kind} · {citation.status} · {citation.tier} · {score_words(answer, citation)}"
    )
    body: list[Text] = [marked(citation), Text(meta, style="dim")]
    body.append(Text(citation.url or citation.slug, style="cyan"))
    return Panel(Group(*body), title=where, title_align="left")


def plain(words: str) -> str:
    """An interface string without its Markdown bold marks, for a terminal."""
    return words.replace("**", "")


def print_answer(console: Console, answer: Answer, *, first: int = 1) -> None:
    """The answer as panels and lines; citations are numbered from `first` (after `more`)."""
    lang = answer.lang
    if answer.notice:
        say(console, (answer.notice, "yellow"))
    if answer.answered:
        if answer.fell_back_to:
            say(console, (t("fallback", lang, language=language_name(lang)), "dim"))
        for number, citation in enumerate(answer.citations, first):
            console.print(citation_panel(number, citation, answer))
    elif answer.unwritten is not None:
        page = answer.unwritten
        say(console, plain(t("unwritten", lang, title=page.title)))
        say(console, (page.url or page.slug, "cyan"))
    else:
        say(console, t("no_answer", lang))
        if answer.see_also:
            names = ", ".join(f"{c.title} ({c.slug})" for c in answer.see_also)
            say(console, f"{t('see_also', lang)}: {names}")
    # Labelled, so that after a first run's build it is clear what took only milliseconds.
    say(console, (t("searched", lang, ms=f"{answer.latency_ms:.0f}"), "dim"))


def answer_json(answer: Answer) -> dict[str, Any]:
    def hit(c: Citation) -> dict[str, Any]:
        return {
            "slug": c.slug, "title": c.title, "section": c.section, "score": c.score,
            "snippet": c.snippet, "url": c.url,
        }  # fmt: skip

    unwritten = answer.unwritten
    return {
        "question": answer.question,
        "answered": answer.answered,
        "hits": [hit(c) for c in answer.citations],
        "see_also": [hit(c) for c in answer.see_also],
        "unwritten": None if unwritten is None else {
            "slug": unwritten.slug, "title": unwritten.title, "url": unwritten.url
        },
        "lang": answer.lang,
        "fell_back_to": answer.fell_back_to,
        "notice": answer.notice,
        "calibrated": answer.calibrated,
        "latency_ms": answer.latency_ms,
    }  # fmt: skip
