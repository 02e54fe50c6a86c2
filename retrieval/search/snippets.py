"""Quote the 1–3 sentences of a passage that answer the question, with its terms marked."""

from __future__ import annotations

import re

import numpy as np

from retrieval.wiki.language import content_terms

MAX_SENTENCE_CHARS = 320
ELLIPSIS = "…"


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
    return sorted(chosen)


def make_snippet(sentences: tuple[str, ...], chosen: list[int]) -> str:
    parts: list[str] = []
    previous = None
    for index in chosen:
        sentence = _shorten(sentences[index])
        if previous is not None and index != previous + 1:
            parts.append(ELLIPSIS)
        parts.append(sentence)
        previous = index
    if chosen and chosen[0] > 0:
        parts.insert(0, ELLIPSIS)
    return " ".join(parts)


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
