"""Cut pages into passages small enough to embed well and quote whole.

A passage is one section, or, for a long section, paragraph-aligned pieces that overlap by
one paragraph so an idea that straddles a cut is still found. The model reads at most ~256
tokens, so pieces aim at ~180 words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from retrieval.models import Page
from retrieval.wiki.text import plain_text, sentences

TARGET_WORDS = 180
MAX_WORDS = 240


@dataclass(frozen=True)
class Chunk:
    """A passage before it has an id: where it comes from and the text to embed and quote."""

    slug: str
    section: str
    anchor: str
    position: int
    text: str

    def embed_text(self, title: str) -> str:
        # Title and heading give a bare paragraph the context a reader would have.
        return f"{title} — {self.section}\n{self.text}"


def split_page(page: Page, titles: Mapping[str, str] | None = None) -> list[Chunk]:
    """All passages of a page: its summary, lead and each section, in reading order."""
    chunks: list[Chunk] = []
    if page.summary:
        chunks.append(Chunk(page.slug, "Summary", "summary", 0, plain_text(page.summary, titles)))
    parts = [("Overview", "overview", page.lead)] if page.lead.strip() else []
    parts += [(s.heading, s.anchor, s.text) for s in page.sections]
    for heading, anchor, text in parts:
        for piece in split_text(plain_text(text, titles)):
            chunks.append(Chunk(page.slug, heading, anchor, len(chunks), piece))
    return chunks


def split_text(text: str) -> list[str]:
    """Paragraph-aligned pieces of about TARGET_WORDS words, overlapping by one paragraph."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    paragraphs = [piece for p in paragraphs for piece in _split_long_paragraph(p)]
    if sum(_words(p) for p in paragraphs) <= MAX_WORDS:
        return ["\n\n".join(paragraphs)] if paragraphs else []
    pieces: list[str] = []
    current: list[str] = []
    for paragraph in paragraphs:
        if current and sum(map(_words, current)) + _words(paragraph) > TARGET_WORDS:
            pieces.append("\n\n".join(current))
            # Carry the last paragraph over unless it alone fills most of a piece.
            current = current[-1:] if _words(current[-1]) < TARGET_WORDS // 2 else []
        current.append(paragraph)
    if current and (not pieces or current != [pieces[-1].rsplit("\n\n", 1)[-1]]):
        pieces.append("\n\n".join(current))
    return pieces


def _split_long_paragraph(paragraph: str) -> list[str]:
    if _words(paragraph) <= MAX_WORDS:
        return [paragraph]
    pieces: list[str] = []
    current: list[str] = []
    for sentence in sentences(paragraph):
        if current and sum(map(_words, current)) + _words(sentence) > TARGET_WORDS:
            pieces.append(" ".join(current))
            current = []
        current.append(sentence)
    if current:
        pieces.append(" ".join(current))
    return pieces


def _words(text: str) -> int:
    return len(text.split())
