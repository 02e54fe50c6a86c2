"""A page's Markdown as a reader sees it: plain text, then sentences and list items.

Shared by the index (passages and the sentences a citation quotes) and the summariser.
"""

from __future__ import annotations

import re

from retrieval.wiki.loader import WIKILINK

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'“(\[]?[A-ZÀ-ÖØ-Þ0-9¿¡])")
_LIST_MARK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def plain_text(markdown: str) -> str:
    """Markdown as a reader sees it: `[[slug|label]]` shows its label, emphasis marks go."""

    def label(match: re.Match[str]) -> str:
        return match["label"] or match["target"].rsplit("/", 1)[-1].replace("-", " ")

    text = WIKILINK.sub(label, markdown)
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)
    text = re.sub(r"(\*\*|__|`)", "", text)
    text = re.sub(r"^#{3,6}\s+", "", text, flags=re.MULTILINE)
    return text.strip()


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
