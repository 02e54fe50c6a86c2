"""Cut pages into passages small enough to embed well and quote whole.

A passage is one section, or, for a long section, paragraph-aligned pieces that overlap by
one paragraph so an idea that straddles a cut is still found. The model reads at most ~256
tokens, so pieces aim at ~180 words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .content import WIKILINK
from .models import Page

TARGET_WORDS = 180
MAX_WORDS = 240
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'“(\[]?[A-ZÀ-ÖØ-Þ0-9¿¡])")
_LIST_MARK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


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


def plain_text(markdown: str) -> str:
    """Markdown as a reader sees it: `[[slug|label]]` shows its label, emphasis marks go."""

    def label(match: re.Match[str]) -> str:
        return match["label"] or match["target"].rsplit("/", 1)[-1].replace("-", " ")

    text = WIKILINK.sub(label, markdown)
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)
    text = re.sub(r"(\*\*|__|`)", "", text)
    text = re.sub(r"^#{3,6}\s+", "", text, flags=re.MULTILINE)
    return text.strip()


def split_page(page: Page) -> list[Chunk]:
    """All passages of a page: its summary, lead and each section, in reading order."""
    chunks: list[Chunk] = []
    if page.summary:
        chunks.append(Chunk(page.slug, "Summary", "summary", 0, plain_text(page.summary)))
    parts = [("Overview", "overview", page.lead)] if page.lead.strip() else []
    parts += [(s.heading, s.anchor, s.text) for s in page.sections]
    for heading, anchor, text in parts:
        for piece in split_text(plain_text(text)):
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


def sentences(text: str) -> list[str]:
    """Sentences and list items of a passage, each as it would be quoted.

    Pages are hard-wrapped, so lines inside a paragraph are joined first; a list item is a
    unit of its own.
    """
    out = []
    for block in _blocks(text):
        for raw in _SENTENCE_END.split(block):
            sentence = raw.strip()
            if sentence:
                out.append(sentence)
    return out


def _blocks(text: str) -> list[str]:
    """Paragraphs and list items with their wrapped lines joined."""
    blocks: list[list[str]] = []
    fresh = True
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            fresh = True
            continue
        if _LIST_MARK.match(line):
            blocks.append([_LIST_MARK.sub("", line).strip()])
            fresh = False
        elif fresh or not blocks:
            blocks.append([stripped])
            fresh = False
        else:
            blocks[-1].append(stripped)
    return [" ".join(block) for block in blocks]


def _words(text: str) -> int:
    return len(text.split())
