"""Buttons as plain values, and the custom ids that carry their state across restarts.

A custom id holds at most 100 characters, so it names things (a logged question, a page
slug) rather than carrying them; anything that would not fit is simply not offered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .limits import BUTTON_LABEL, BUTTONS_PER_ROW, CUSTOM_ID, ROWS, URL, clip

Style = Literal["primary", "secondary", "success", "danger", "link"]

# A question reference: `q<id>` for a logged guild question (survives restarts) or
# `m<hex>` for one kept only in memory (direct messages are never written down). At most 15
# hex digits: a row id beyond that would not fit SQLite's or PostgreSQL's 64-bit integers.
REF = r"(?P<ref>[qm][0-9a-f]{1,15})"
SLUG = r"(?P<slug>[a-z0-9][a-z0-9/_-]{0,90})"
MORE_TEMPLATE = rf"ob:more:{REF}:(?P<offset>\d{{1,4}})"
FEEDBACK_TEMPLATE = rf"ob:vote:{REF}:(?P<vote>up|down)"
ORGANISER_TEMPLATE = rf"ob:org:{REF}"
PAGE_TEMPLATE = rf"ob:page:{SLUG}"
RELATED_TEMPLATE = rf"ob:rel:{SLUG}"
BUTTON_TEMPLATES = (
    MORE_TEMPLATE, FEEDBACK_TEMPLATE, ORGANISER_TEMPLATE, PAGE_TEMPLATE, RELATED_TEMPLATE,
)  # fmt: skip


@dataclass(frozen=True)
class ButtonSpec:
    label: str
    style: Style = "secondary"
    custom_id: str | None = None
    url: str | None = None
    emoji: str | None = None
    row: int = 0


def more_id(ref: str, offset: int) -> str:
    return f"ob:more:{ref}:{offset}"


def feedback_id(ref: str, vote: Literal["up", "down"]) -> str:
    return f"ob:vote:{ref}:{vote}"


def organiser_id(ref: str) -> str:
    return f"ob:org:{ref}"


def page_id(slug: str) -> str | None:
    """The id of a button opening `slug`'s card, or None when the slug would not fit."""
    custom_id = f"ob:page:{slug}"
    return custom_id if len(custom_id) <= CUSTOM_ID else None


def related_id(slug: str) -> str | None:
    custom_id = f"ob:rel:{slug}"
    return custom_id if len(custom_id) <= CUSTOM_ID else None


def button(
    label: str,
    *,
    custom_id: str | None = None,
    url: str | None = None,
    style: Style = "secondary",
    emoji: str | None = None,
    row: int = 0,
) -> ButtonSpec | None:
    """A button within Discord's limits, or None when its id or link cannot be sent."""
    if url is not None:
        if len(url) > URL or not url.startswith(("http://", "https://")):
            return None
        return ButtonSpec(clip(label, BUTTON_LABEL), "link", url=url, emoji=emoji, row=row)
    if custom_id is None or len(custom_id) > CUSTOM_ID:
        return None
    return ButtonSpec(clip(label, BUTTON_LABEL), style, custom_id=custom_id, emoji=emoji, row=row)


def layout(buttons: list[ButtonSpec | None]) -> list[ButtonSpec]:
    """Drop the buttons that could not be made and keep at most 5 per row, 5 rows."""
    kept: list[ButtonSpec] = []
    per_row: dict[int, int] = {}
    for spec in buttons:
        if spec is None or spec.row >= ROWS or per_row.get(spec.row, 0) >= BUTTONS_PER_ROW:
            continue
        per_row[spec.row] = per_row.get(spec.row, 0) + 1
        kept.append(spec)
    return kept
