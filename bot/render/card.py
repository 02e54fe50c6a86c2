"""A `Page` as a card: summary, what to use it for, examples, sources, status and tier."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from discord.utils import escape_markdown

from bot.i18n import language_name, t
from retrieval import Page, PageRef

from .components import ButtonSpec, button, layout, page_id
from .limits import CHOICE_NAME, CHOICE_VALUE, CHOICES, clip, echo, fit_embed

CARD_COLOUR = 0x1565C0
RELATED_BUTTONS = 10
SUMMARY_LIMIT = 1500
# Headings as the wiki writes them, including the translations' usual wording.
USE_IT_FOR = (
    "use it for",
    "use it when",
    "wofür",
    "einsatzbereiche",
    "à utiliser pour",
    "úsalo para",
)
EXAMPLES = ("examples", "worked examples", "beispiele", "exemples", "ejemplos")
WIKILINK = re.compile(r"\[\[([^\]|#]+)(?:#[^\]|]*)?(?:\|([^\]]+))?\]\]")


def page_url(base_url: str | None, slug: str) -> str | None:
    return f"{base_url.rstrip('/')}/{slug}" if base_url else None


def plain(text: str, titles: Mapping[str, str] | None = None) -> str:
    """Wiki text for an embed: `[[slug|label]]` becomes its label, `[[slug]]` the page's
    title (from `titles`, by slug), or its last segment in words; the rest is left as is."""

    def label(match: re.Match[str]) -> str:
        target = match.group(1).strip()
        if match.group(2):
            return match.group(2)
        if titles and target in titles:
            return titles[target]
        return target.rsplit("/", 1)[-1].replace("-", " ")

    return WIKILINK.sub(label, text)


def page_card(
    page: Page,
    *,
    lang: str,
    fell_back: bool = False,
    base_url: str | None = None,
    titles: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The card of `page`; `titles` names the pages its text links to (PageLookup's)."""
    description: list[str] = []
    if fell_back:
        description.append("*" + t("fallback", lang, language=language_name(lang)) + "*")
    summary = page.summary or page.lead
    description.append(clip(plain(summary, titles), SUMMARY_LIMIT))
    if page.summary and page.summary_source == "extracted":
        description.append("*" + t("summary_extracted", lang) + "*")
    fields = [
        {"name": "Status", "value": f"`{page.status}` · `{page.tier}`", "inline": True},
        {"name": "Kind", "value": page.kind, "inline": True},
    ]
    if page.kind == "case-study":
        fields += case_fields(page, titles)
    for names in (USE_IT_FOR, EXAMPLES):
        section = next((s for s in page.sections if s.heading.casefold() in names), None)
        if section is not None and section.text.strip():
            fields.append(
                {"name": escape_markdown(section.heading), "value": plain(section.text, titles)}
            )
    if page.sources:
        lines = [
            f"• `{source.grounding}` {escape_markdown(source.id)}"
            + (f" — {escape_markdown(source.note)}" if source.note else "")
            for source in page.sources
        ]
        fields.append({"name": "Sources", "value": "\n".join(lines)})
    footer = f"{page.kind} · {page.original_slug}"
    if page.verified is not None:
        footer += f" · verified {page.verified.date.isoformat()} by {page.verified.by}"
    embed: dict[str, Any] = {
        "type": "rich",
        "title": escape_markdown(page.title),
        "description": "\n\n".join(part for part in description if part),
        "color": CARD_COLOUR,
        "fields": fields,
        "footer": {"text": footer},
    }
    url = page_url(base_url, page.original_slug)
    if url:
        embed["url"] = url
    return fit_embed(embed)


def case_fields(page: Page, titles: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    where = ", ".join(part for part in (page.country, page.region) if part)
    when = str(page.years) if page.years else ""
    fields = []
    if where or when:
        fields.append(
            {
                "name": "Where and when",
                "value": " · ".join(filter(None, (where, when))),
                "inline": True,
            }
        )
    if page.outcome:
        fields.append({"name": "Outcome", "value": plain(page.outcome, titles)})
    return fields


def card_buttons(
    page: Page, related: Sequence[PageRef], *, base_url: str | None
) -> list[ButtonSpec]:
    """Related pages as buttons that open their cards, and a link to the page itself."""
    specs: list[ButtonSpec | None] = [
        button(ref.title, custom_id=page_id(ref.slug), row=index // 5)
        for index, ref in enumerate(related[:RELATED_BUTTONS])
    ]
    url = page_url(base_url, page.original_slug)
    if url:
        specs.append(button(t("open_page"), url=url, row=2))
    return layout(specs)


def page_buttons(refs: Sequence[PageRef], limit: int = 5) -> list[ButtonSpec]:
    """Buttons that open the cards of `refs` ("did you mean", related pages), 5 per row."""
    return layout(
        [
            button(ref.title, custom_id=page_id(ref.slug), emoji="📄", row=index // 5)
            for index, ref in enumerate(refs[:limit])
        ]
    )


def unknown_page_text(name: str, suggestions: Sequence[PageRef], lang: str) -> str:
    key = "did_you_mean" if suggestions else "unknown"
    return clip(t(key, lang, name=echo(clip(name, 200))), 2000)


def choices(refs: Sequence[PageRef]) -> list[tuple[str, str]]:
    """Autocomplete choices (name, value): at most 25, names ≤ 100, values ≤ 100 chars."""
    picked: list[tuple[str, str]] = []
    for ref in refs:
        if len(ref.slug) > CHOICE_VALUE:
            continue
        picked.append((clip(f"{ref.title} ({ref.slug})", CHOICE_NAME), ref.slug))
        if len(picked) == CHOICES:
            break
    return picked
