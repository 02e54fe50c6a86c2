"""Quote the 1–3 sentences of a passage that answer the question, with its terms marked."""

from __future__ import annotations

import re

import numpy as np

from retrieval.wiki.language import content_terms
from retrieval.wiki.text import ITEM

MAX_SENTENCE_CHARS = 320
ELLIPSIS = "…"
# Room for the list items a quoted sentence announces: enough for a short list, and the
# quote still fits a Discord embed field (1,024 characters) with its citation line.
LIST_CHARS = 650


def select_sentences(
    sentences: tuple[str, ...], vectors: np.ndarray, query: np.ndarray, question: str, limit: int
) -> list[int]:
    """Indexes, in reading order, of the sentences most similar to the question.

    Similarity is the sentence vector's cosine with the question plus a small bonus for shared
    terms, so an exact phrase wins a near tie. Sentences far below the best are left out
    rather than padding the quote.
    """
    if not sentences:
        return []
    scores = vectors.astype(np.float32) @ query if len(vectors) else np.zeros(len(sentences))
    stems = {_stem(t) for t in content_terms(question)}
    bonus = np.array([0.03 * len(stems & {_stem(w) for w in content_terms(s)}) for s in sentences])
    total = scores + bonus
    best = int(np.argmax(total))
    chosen = {best}
    for index in np.argsort(-total):
        if len(chosen) >= limit:
            break
        # Neighbours of the best sentence read naturally; far-off ones must earn their place.
        near = abs(int(index) - best) == 1
        if total[index] >= total[best] - (0.15 if near else 0.08):
            chosen.add(int(index))
    return with_announced_items(sentences, sorted(chosen))


def with_announced_items(sentences: tuple[str, ...], chosen: list[int]) -> list[int]:
    """`chosen`, plus the list items that follow a chosen sentence announcing them ("To run
    an after-action review:"), as many as fit in LIST_CHARS."""
    extended = set(chosen)
    for index in chosen:
        if not sentences[index].rstrip().endswith(":"):
            continue
        used = 0
        for item in range(index + 1, len(sentences)):
            text = sentences[item]
            if not text.startswith(ITEM) or used + len(_shorten(text)) > LIST_CHARS:
                break
            extended.add(item)
            used += len(_shorten(text))
    return sorted(extended)


def make_snippet(sentences: tuple[str, ...], chosen: list[int]) -> str:
    """The chosen sentences in reading order; list items on lines of their own; an ellipsis
    where something was left out."""
    text = ""
    previous = None
    for index in chosen:
        sentence = _shorten(sentences[index])
        if previous is not None:
            gap = f" {ELLIPSIS}" if index != previous + 1 else ""
            text += f"{gap}\n" if sentence.startswith(ITEM) else f"{gap} "
        text += sentence
        previous = index
    if chosen and chosen[0] > 0:
        text = f"{ELLIPSIS} {text}"
    return text


def mark_terms(snippet: str, question: str) -> tuple[tuple[int, int], ...]:
    """Character spans in the snippet of words that share a stem with a question term."""
    stems = {_stem(t) for t in content_terms(question) if len(t) > 2}
    if not stems:
        return ()
    spans = []
    for match in re.finditer(r"\w+", snippet):
        word = match.group().casefold()
        if len(word) > 2 and _stem(word) in stems:
            spans.append((match.start(), match.end()))
    return tuple(spans)


def _stem(word: str) -> str:
    # A crude prefix stem is enough to match "organise", "organising", "organisers".
    return word.casefold()[:6]


def _shorten(sentence: str) -> str:
    if len(sentence) <= MAX_SENTENCE_CHARS:
        return sentence
    cut = sentence[:MAX_SENTENCE_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + " …"
