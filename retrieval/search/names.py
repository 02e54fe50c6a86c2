"""Fuzzy matching of a typed name against every page's title, aliases and slug.

Names are scored with rapidfuzz's WRatio. On a big wiki scoring every name that way costs
0.1–0.3 s a lookup (about 7 µs a name; 5,000 pages have 25,000 names), so beyond
`SHORTLIST` names two cheap measures pick which ones WRatio scores:

- the longest common subsequence of the text and the name, as written and with words sorted,
  as a share of the shorter: it bounds WRatio's plain and partial ratios, and tolerates typos;
- how much of the text is words (or starts of words) the name contains: the subsequence
  bound is loose for a few typed letters ("warehouse st" is a subsequence of thousands of
  names) and this tells the names that really contain them apart.

`bench/lookup_bench.py` measures how often the shortlist's best page differs from scoring
every name. Each rapidfuzz call is `process.cdist`, which releases the GIL while it scores:
`process.extract` holds it throughout and stalled the bot's event loop 150 ms a lookup
although it ran on the worker thread.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import LCSseq

from retrieval.models import Page

SHORTLIST = 1024  # names WRatio scores at most: a few ms
SCORE_CUTOFF = 50  # WRatio below this is noise: "did you mean" would only confuse
_WORD = re.compile(r"\w+")
_AFTER_EVERY_WORD = "\U0010ffff"  # sorts after any word, so word…sentinel spans a prefix


class PageNames:
    """The names of a build's original pages; entry i is `names[i]` of page `slugs[i]`."""

    def __init__(self, pages: Iterable[Page]) -> None:
        entries = [
            (page.slug, page.kind, name.casefold())
            for page in pages
            if page.translation_of is None
            for name in dict.fromkeys((page.title, *page.aliases, page.slug))
        ]
        self.slugs = [slug for slug, _, _ in entries]
        self.kinds = np.array([kind for _, kind, _ in entries], dtype=np.str_)
        self.names = [name for _, _, name in entries]
        self.reordered = [_sorted_words(name) for name in self.names]
        self._lengths = np.fromiter(map(len, self.names), dtype=np.int32, count=len(entries))
        self._reordered_lengths = np.fromiter(
            map(len, self.reordered), dtype=np.int32, count=len(entries)
        )
        self._vocabulary, self._postings = _word_postings(self.names)

    def best(
        self, text: str, kinds: Sequence[str] = (), limit: int = 25
    ) -> list[tuple[str, float]]:
        """(slug, score 0–1) of the pages whose names match `text` best, best first."""
        query = text.casefold()
        allowed = np.isin(self.kinds, list(kinds)) if kinds else np.ones(len(self.names), bool)
        if not query.strip() or not allowed.any():
            return []
        picked = self._shortlist(query, allowed)
        scores = process.cdist(
            [query], [self.names[i] for i in picked], scorer=fuzz.WRatio,
            score_cutoff=SCORE_CUTOFF, dtype=np.float32, workers=1,
        )[0]  # fmt: skip
        order = np.lexsort((picked, -scores))  # ties keep the names' order
        found: dict[str, float] = {}
        for n in order:
            if scores[n] < SCORE_CUTOFF or len(found) == limit:
                break
            found.setdefault(self.slugs[picked[n]], float(scores[n]) / 100)
        return list(found.items())

    def _shortlist(self, query: str, allowed: np.ndarray) -> np.ndarray:
        """Indices (ascending) of the allowed names WRatio should score: all of them, or the
        `SHORTLIST` the cheap measures rank highest (ties in the names' order)."""
        if allowed.sum() <= SHORTLIST:
            return np.flatnonzero(allowed)
        closeness = np.maximum(
            _subsequence_bound(query, self.names, self._lengths),
            _subsequence_bound(_sorted_words(query), self.reordered, self._reordered_lengths),
        )
        rank = np.where(allowed, closeness + self._words_covered(query), -1.0)
        return np.sort(np.argsort(-rank, kind="stable")[:SHORTLIST])

    def _words_covered(self, query: str) -> np.ndarray:
        """For each name, the share of the query's letters in words that start one of its
        words ("st" counts for "strike")."""
        covered = np.zeros(len(self.names), dtype=np.float64)
        words = list(dict.fromkeys(_WORD.findall(query)))
        for word in words:
            first = bisect_left(self._vocabulary, word)
            last = bisect_left(self._vocabulary, word + _AFTER_EVERY_WORD)
            if first == last:
                continue
            has_word = np.zeros(len(self.names), dtype=bool)
            has_word[np.concatenate(self._postings[first:last])] = True
            covered += has_word * len(word)
        letters = sum(map(len, words))
        return covered / letters if letters else covered


def _sorted_words(text: str) -> str:
    return " ".join(sorted(text.split()))


def _word_postings(names: Sequence[str]) -> tuple[list[str], list[np.ndarray]]:
    """The words of all names, sorted, and for each the indices of the names holding it."""
    holders: dict[str, list[int]] = {}
    for index, name in enumerate(names):
        for word in set(_WORD.findall(name)):
            holders.setdefault(word, []).append(index)
    vocabulary = sorted(holders)
    return vocabulary, [np.array(holders[word], dtype=np.int64) for word in vocabulary]


def _subsequence_bound(query: str, names: Sequence[str], lengths: np.ndarray) -> np.ndarray:
    """2L / (m + L) for each name, L the longest common subsequence and m the shorter length:
    at least the Indel ratio of the query and any stretch of the name, partial or whole."""
    common = process.cdist([query], names, scorer=LCSseq.similarity, dtype=np.int32, workers=1)[0]
    total = np.minimum(lengths, len(query)) + common
    bound: np.ndarray = np.divide(2 * common, total, out=np.zeros(len(names)), where=total > 0)
    return bound
