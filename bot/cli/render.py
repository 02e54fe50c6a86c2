"""Render an `Answer` for a terminal (rich) or as JSON."""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.text import Text

from retrieval import Answer, Citation


def marked(citation: Citation) -> Text:
    text = Text(citation.snippet)
    for start, end in citation.marks:
        text.stylize("bold yellow", start, end)
    return text


def citation_panel(number: int, citation: Citation) -> Panel:
    where = f"{citation.title} › {citation.section}"
    meta = f"{citation.kind} · {citation.status} · {citation.tier} · score {citation.score:.2f}"
    body: list[Text] = [marked(citation), Text(meta, style="dim")]
    body.append(Text(citation.url or citation.slug, style="cyan"))
    return Panel(Group(*body), title=f"[{number}] {where}", title_align="left")


def print_answer(console: Console, answer: Answer) -> None:
    if answer.notice:
        console.print(f"[yellow]{answer.notice}[/yellow]", highlight=False)
    if answer.answered:
        if answer.fell_back_to:
            console.print(f"[dim]No {answer.lang} version of some pages; quoting English.[/dim]")
        for number, citation in enumerate(answer.citations, 1):
            console.print(citation_panel(number, citation))
    else:
        console.print("The wiki has no grounded answer to that.")
        if answer.see_also:
            console.print(
                "See also: " + ", ".join(f"{c.title} ({c.slug})" for c in answer.see_also)
            )
    console.print(f"[dim]{answer.latency_ms:.0f} ms[/dim]")


def answer_json(answer: Answer) -> dict[str, Any]:
    def hit(c: Citation) -> dict[str, Any]:
        return {
            "slug": c.slug, "title": c.title, "section": c.section, "score": c.score,
            "snippet": c.snippet, "url": c.url,
        }  # fmt: skip

    return {
        "question": answer.question,
        "answered": answer.answered,
        "hits": [hit(c) for c in answer.citations],
        "see_also": [hit(c) for c in answer.see_also],
        "lang": answer.lang,
        "fell_back_to": answer.fell_back_to,
        "notice": answer.notice,
        "latency_ms": answer.latency_ms,
    }
