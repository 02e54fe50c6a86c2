"""Which section of a page should lead: the steps for "how do I", source lists last.

Only reorders sections within a page's places in the ranking; which pages lead is decided
by `ranking.rank` before this runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from retrieval.search.ranking import Hit

_HOW_TO_QUESTION = re.compile(
    r"\b(how (do|to|can|should|would)|steps?|wie (kann|mache|führe|erstelle|fange)"
    r"|comment|cómo|como)\b",
    re.IGNORECASE,
)
_ABOUT_SOURCES = re.compile(r"sourc|evidence|verif|referen|quelle|fuente|book|read", re.I)
_HOW_TO_SECTIONS = re.compile(r"how-to|how-it-works|steps|so-funktioniert|comment|c[oó]mo")
_META_SECTIONS = re.compile(r"sources|quellen|fuentes|open-questions|offene|related")
SECTION_NUDGE = 0.1  # in cosine units: reorders close sections, never a poor one to the top


def section_prior(question: str) -> Callable[[str], float]:
    how_to = bool(_HOW_TO_QUESTION.search(question))
    about_sources = bool(_ABOUT_SOURCES.search(question))

    def prior(anchor: str) -> float:
        if how_to and _HOW_TO_SECTIONS.search(anchor):
            return SECTION_NUDGE
        if not about_sources and _META_SECTIONS.search(anchor):
            return -SECTION_NUDGE
        return 0.0

    return prior


def sections_by_fit(hits: list[Hit], question: str) -> list[Hit]:
    """Keep each page's places in the ranking, but fill them with its sections in order of
    fit: cosine plus a nudge towards steps for "how do I" questions and away from source
    lists unless sources are asked for. Which pages come first does not change."""
    prior = section_prior(question)
    by_page: dict[str, list[Hit]] = {}
    for hit in hits:
        by_page.setdefault(hit.passage.slug, []).append(hit)
    for group in by_page.values():
        group.sort(key=lambda h: h.dense + prior(h.passage.anchor), reverse=True)
    return [by_page[hit.passage.slug].pop(0) for hit in hits]
