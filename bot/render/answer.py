"""An `Answer` as an embed dict and buttons: cited passages, or an honest no with see-also."""

from __future__ import annotations

from typing import Any

from discord.utils import escape_markdown

from bot.i18n import language_name, t
from retrieval import Answer, Citation

from .components import (
    ButtonSpec,
    button,
    feedback_id,
    layout,
    more_id,
    organiser_id,
    page_id,
    related_id,
)
from .limits import FIELD_VALUE, echo, fit_embed

ANSWERED_COLOUR = 0x2E7D32
UNANSWERED_COLOUR = 0x9E9E9E
SEE_ALSO_SHOWN = 5


def answer_embed(answer: Answer, *, lang: str, offset: int = 0) -> dict[str, Any]:
    """The embed for one page of an answer (`offset` = citations already shown before)."""
    notes = notices(answer, lang)
    embed: dict[str, Any] = {"type": "rich", "title": echo(answer.question) or "…"}
    if answer.answered:
        embed["color"] = ANSWERED_COLOUR
        embed["fields"] = [
            citation_field(offset + number, citation, lang=lang, calibrated=answer.calibrated)
            for number, citation in enumerate(answer.citations, start=1)
        ]
        if notes:
            embed["description"] = "\n".join(notes)
        last = offset + len(answer.citations)
        embed["footer"] = {"text": t("results", lang, first=offset + 1, last=last)}
    elif answer.unwritten is not None:
        page = answer.unwritten
        title = escape_markdown(page.title)
        named = f"[{title}]({page.url})" if page.url else title
        embed["color"] = UNANSWERED_COLOUR
        embed["description"] = "\n".join([t("unwritten", lang, title=named), *notes])
    else:
        embed["color"] = UNANSWERED_COLOUR
        embed["description"] = "\n".join([t("no_answer", lang), *notes])
        if answer.see_also:
            lines = [see_also_line(c) for c in answer.see_also[:SEE_ALSO_SHOWN]]
            embed["fields"] = [{"name": t("see_also", lang), "value": "\n".join(lines)}]
    return fit_embed(embed)


def notices(answer: Answer, lang: str) -> list[str]:
    notes = []
    if answer.fell_back_to and answer.lang != answer.fell_back_to:
        notes.append("*" + t("fallback", lang, language=language_name(answer.lang)) + "*")
    if answer.notice:
        notes.append(escape_markdown(answer.notice))
    return notes


def score_text(score: float, calibrated: bool, lang: str) -> str:
    """What a citation's score means to a reader: the chance its page answers the question,
    when calibrated; otherwise only how similar it is."""
    if calibrated:
        return t("confidence", lang, percent=round(score * 100))
    return t("similarity", lang, score=f"{score:.2f}")


def citation_field(
    number: int, citation: Citation, *, lang: str = "en", calibrated: bool = False
) -> dict[str, str]:
    name = f"{number}. {escape_markdown(citation.title)} › {escape_markdown(citation.section)}"
    facts = (
        f"`{citation.status}` · `{citation.tier}` · {score_text(citation.score, calibrated, lang)}"
    )
    if citation.url:
        facts += f" · [{escape_markdown(citation.slug)}]({citation.url})"
    room = FIELD_VALUE - len(facts) - 1
    return {
        "name": name,
        "value": quote(highlight(citation.snippet, citation.marks, room)) + "\n" + facts,
    }


def highlight(snippet: str, marks: tuple[tuple[int, int], ...], limit: int) -> str:
    """`snippet` escaped, with the question's terms in bold, at most about `limit` chars.

    Marks are applied to the raw text before escaping each piece, so an offset never lands
    inside an escape sequence; marks past the cut are dropped.
    """
    budget = max(limit - 8, 1)  # room for "> " prefixes and the ellipsis
    pieces: list[str] = []
    used = 0
    position = 0
    for start, end in sorted(marks):
        if start < position or end <= start:
            continue
        plain, marked = (
            escape_markdown(snippet[position:start]),
            escape_markdown(snippet[start:end]),
        )
        if used + len(plain) + len(marked) + 4 > budget:
            break
        pieces += [plain, f"**{marked}**"]
        used += len(plain) + len(marked) + 4
        position = end
    rest = escape_markdown(snippet[position:])
    text = "".join(pieces) + rest
    if len(text) > budget:
        text = text[:budget].rstrip().rstrip("\\") + "…"
    return text


def quote(text: str) -> str:
    return "\n".join("> " + line for line in text.splitlines() or [""])


def see_also_line(citation: Citation) -> str:
    title = escape_markdown(citation.title)
    label = f"[{title}]({citation.url})" if citation.url else f"**{title}**"
    return f"• {label} › {escape_markdown(citation.section)}"


def answer_buttons(
    answer: Answer,
    *,
    lang: str,
    ref: str | None,
    offset: int = 0,
    more: bool = False,
    organiser: bool = False,
) -> list[ButtonSpec]:
    """More results, related pages, open page, 👍/👎 and the organiser button, as allowed."""
    specs: list[ButtonSpec | None] = []
    if answer.answered and answer.citations:
        top = answer.citations[0]
        if ref is not None and more:
            next_offset = offset + len(answer.citations)
            specs.append(
                button(t("more", lang), custom_id=more_id(ref, next_offset), style="primary")
            )
        specs.append(button(t("related", lang), custom_id=related_id(top.slug), emoji="🔗"))
        if top.url:
            specs.append(button(t("open_page", lang), url=top.url))
    elif answer.unwritten is not None:
        page = answer.unwritten
        specs.append(button(page.title, custom_id=page_id(page.slug), emoji="📄"))
        if page.url:
            specs.append(button(t("open_page", lang), url=page.url))
    else:
        specs += [
            button(c.title, custom_id=page_id(c.slug), emoji="📄")
            for c in answer.see_also[:SEE_ALSO_SHOWN]
        ]
    # Votes need a logged question to attach to, so DMs (never logged) get none.
    if ref is not None and ref.startswith("q"):
        specs.append(button("", custom_id=feedback_id(ref, "up"), emoji="👍", row=1))
        specs.append(button("", custom_id=feedback_id(ref, "down"), emoji="👎", row=1))
    if ref is not None and organiser:
        specs.append(
            button(t("ask_organiser", lang), custom_id=organiser_id(ref), emoji="🙋", row=1)
        )
    return layout(specs)
