"""A page's Markdown as a reader sees it: plain text, then sentences and list items.

Shared by the index (passages and the sentences a citation quotes) and the summariser.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from retrieval.wiki.loader import WIKILINK

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'“(\[]?[A-ZÀ-ÖØ-Þ0-9¿¡])")
_LIST_MARK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def plain_text(markdown: str, titles: Mapping[str, str] | None = None) -> str:
    """Markdown as a reader sees it: `[[slug|label]]` shows its label, `[[slug]]` the
    page's title (from `titles`, by slug), emphasis marks go."""

    def label(match: re.Match[str]) -> str:
        target = match["target"].strip()
        if match["label"]:
            return str(match["label"])
        if titles and target in titles:
            return titles[target]
        return target.rsplit("/", 1)[-1].replace("-", " ")

    text = WIKILINK.sub(label, markdown)
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)
    text = re.sub(r"(\*\*|__|`)", "", text)
    text = re.sub(r"^#{3,6}\s+", "", text, flags=re.MULTILINE)
    return text.strip()


# Words a full stop follows without ending the sentence ("Browder v. Gayle", "e.g. Otpor").
ABBREVIATIONS = frozenset(
    """
    v vs e.g i.e etc cf al approx dr mr mrs ms st no nos vol ed eds pp fig jr sr
    z.b d.h u.a bzw ca ggf vgl usw p.ex env ej ee.uu sra sr srta
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
ITEM = "• "  # how a list item starts when quoted


def sentences(text: str) -> list[str]:
    """Sentences and list items of a passage, each as it would be quoted.

    Pages are hard-wrapped, so lines inside a paragraph are joined first. A list item is one
    unit, marked with ITEM, so a quote can bring the items after a sentence that announces
    them ("To run an after-action review:").
    """
    out = []
    for block, is_item in _blocks(text):
        if is_item:
            out.append(ITEM + block)
            continue
        out.extend(_split_sentences(block))
    return out


def _split_sentences(paragraph: str) -> list[str]:
    """A paragraph's sentences; a full stop after an abbreviation or an initial is not an end."""
    pieces: list[str] = []
    for raw in _SENTENCE_END.split(paragraph):
        piece = raw.strip()
        if not piece:
            continue
        if pieces and _ends_in_abbreviation(pieces[-1]):
            pieces[-1] = f"{pieces[-1]} {piece}"
        else:
            pieces.append(piece)
    return pieces


def _ends_in_abbreviation(sentence: str) -> bool:
    last = sentence.rsplit(maxsplit=1)[-1].rstrip(".").casefold().lstrip("(")
    return last in ABBREVIATIONS or (len(last) == 1 and last.isalpha())


def _blocks(text: str) -> list[tuple[str, bool]]:
    """Paragraphs and list items with their wrapped lines joined; True for a list item."""
    blocks: list[tuple[list[str], bool]] = []
    fresh = True
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            fresh = True
            continue
        if _LIST_MARK.match(line):
            blocks.append(([_LIST_MARK.sub("", line).strip()], True))
            fresh = False
        elif fresh or not blocks:
            blocks.append(([stripped], False))
            fresh = False
        else:
            blocks[-1][0].append(stripped)
    return [(" ".join(lines), is_item) for lines, is_item in blocks]
