"""Extractive summaries for pages whose summary is missing or a placeholder.

The summary is 2–4 sentences taken from the page body: those closest to the page's own
centre of meaning, each also unlike those already picked (maximal marginal relevance), in
reading order. The page gets `summary_source: extracted` so readers know no one wrote it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from retrieval.embedding.base import Embedder
from retrieval.models import Page
from retrieval.wiki.summary_writer import write_summary as write_summary
from retrieval.wiki.text import plain_text, sentences

PLACEHOLDER = re.compile(r"\bTBD\b|\bTODO\b|\[TRUNC\]|^\s*$", re.IGNORECASE)
# Sections that list rather than explain make poor summary sentences.
SKIP_SECTIONS = re.compile(
    r"source|verification|open questions|related|examples|worked|see also", re.IGNORECASE
)
MAX_WORDS = 90


@dataclass(frozen=True)
class Proposal:
    page: Page
    summary: str
    sentences: int


def needs_summary(page: Page) -> bool:
    return bool(PLACEHOLDER.search(page.summary)) or not page.summary.strip()


def candidate_sentences(page: Page) -> list[str]:
    texts = [page.lead] + [s.text for s in page.sections if not SKIP_SECTIONS.search(s.heading)]
    found = []
    for text in texts:
        for sentence in sentences(plain_text(text)):
            words = len(sentence.split())
            if 6 <= words <= 45 and not PLACEHOLDER.search(sentence) and sentence[-1] in ".!?":
                found.append(sentence)
    return found


def summarize(page: Page, embedder: Embedder, most: int = 4) -> Proposal | None:
    """A 2–4 sentence extract, or None when the body has too little prose to choose from."""
    pool = candidate_sentences(page)
    if len(pool) < 2:
        return None
    vecs = embedder.embed(pool)
    centre = vecs.mean(axis=0)
    centre /= np.linalg.norm(centre) or 1.0
    relevance = vecs @ centre
    chosen: list[int] = []
    words = 0
    while len(chosen) < most and len(chosen) < len(pool):
        redundancy = (vecs @ vecs[chosen].T).max(axis=1) if chosen else np.zeros(len(pool))
        score = 0.7 * relevance - 0.3 * redundancy
        score[chosen] = -np.inf
        best = int(np.argmax(score))
        length = len(pool[best].split())
        if len(chosen) >= 2 and words + length > MAX_WORDS:
            break
        chosen.append(best)
        words += length
    text = " ".join(pool[i] for i in sorted(chosen))
    return Proposal(page, text, len(chosen))
