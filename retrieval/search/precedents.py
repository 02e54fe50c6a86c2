"""Questions asked before, each known to be answered by the wiki or not: precedents.

"Who led the Glasgow rent strike?" and "how many tents were at Zuccotti Park?" sit right on a
page's topic, share its names, and ask for a detail the page does not give. No cosine to the
page tells them from "which tactics did the Glasgow tenants use?". What does is how much they
resemble earlier questions the wiki could not answer, more than earlier ones it could: the
same kinds of requests (who led, how many, which law, which app, a recipe) recur in every
language. `likeness` is one signal of the grounding model (`retrieval.search.grounding`).

The answerable ones also know the page that answers them. "Comment on s'y prend pour une
grève des loyers ?" lands near earlier questions about rent strikes in every language, where
the passages' wording may not: `read` also says which pages the nearest earlier questions
were answered by, and `ranking.rank` lifts those pages.

The precedents are the labelled development questions (tests/eval), embedded by the
multilingual encoder and stored beside this file by `python -m bench.calibrate`, with the
encoder they were embedded by; with any other encoder there are none.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from retrieval.embedding import Embedder
from retrieval.embedding.base import signature
from retrieval.search.fitted import load_signed, save_signed

PRECEDENTS = Path(__file__).with_name("precedents.npz")
# How many of the nearest answerable precedents vote for their page, and how fast a vote fades
# with cosine below the nearest one's: weight exp((cosine - nearest) / VOTE_TEMPERATURE).
# Chosen by 5-fold cross-validation on the 1,553 development questions (with PRECEDENT_WEIGHT
# 0.02): 5 or 20 voters, or a temperature of 0.02 or 0.1, moved section P@1 and cross-lingual
# page R@1 by at most 0.015 either way.
VOTERS = 10
VOTE_TEMPERATURE = 0.05
# A precedent this close is the question itself, asked again: it does not vote, so a
# development question is ranked as a new one would be, in calibration and in the benchmark.
ITSELF = 0.999


@dataclass(frozen=True, eq=False)
class Precedents:
    vectors: np.ndarray  # unit rows, one per question (stored as float16: 0.001 is noise)
    answerable: np.ndarray  # bool, one per row
    pages: np.ndarray  # str, one per row: the original slug of the page that answers it, or ""
    encoder: str  # "<name> <weights sha256>" of the encoder that made `vectors`

    def likeness(self, query: np.ndarray, *, among: np.ndarray | None = None) -> float:
        """Cosine to the closest unanswerable precedent minus cosine to the closest answerable
        one; `among` (a bool mask) limits the precedents, as calibration does to leave a
        question's own row out."""
        sims = self.vectors @ query
        if among is None:
            return likeness_from(sims, self.answerable)
        return likeness_from(sims[among], self.answerable[among])

    def read(self, query: np.ndarray) -> tuple[float, dict[str, float]]:
        """From one pass over the precedents: the question's `likeness`, and each page's
        share of the votes of the VOTERS answerable precedents nearest it (none that is the
        question itself), nearer ones weighing more."""
        sims = self.vectors @ query
        return likeness_from(sims, self.answerable), self._votes(sims)

    def _votes(self, sims: np.ndarray) -> dict[str, float]:
        voters = np.flatnonzero(self.answerable & (sims < ITSELF))
        if not len(voters):
            return {}
        nearest = voters[np.argsort(-sims[voters])[:VOTERS]]
        weights = np.exp((sims[nearest] - sims[nearest[0]]) / VOTE_TEMPERATURE)
        votes: dict[str, float] = {}
        for row, weight in zip(nearest, weights / weights.sum(), strict=True):
            votes[str(self.pages[row])] = votes.get(str(self.pages[row]), 0.0) + float(weight)
        return votes

    def save(self, path: Path | None = None) -> None:
        arrays = {
            "vectors": self.vectors.astype(np.float16),
            "answerable": self.answerable,
            "pages": self.pages.astype(np.str_),
        }
        save_signed(path or PRECEDENTS, self.encoder, arrays)

    @classmethod
    def load(cls, encoder: Embedder, path: Path | None = None) -> Precedents | None:
        """The stored precedents (PRECEDENTS unless `path`), or None when there are none made
        by `encoder`."""
        found = load_signed(path or PRECEDENTS, encoder, ("vectors", "answerable", "pages"))
        if found is None:
            return None
        vectors, answerable, pages = found["vectors"], found["answerable"], found["pages"]
        rows = len(answerable)
        if answerable.ndim != 1 or vectors.shape != (rows, encoder.dimension):
            return None
        if pages.shape != (rows,) or pages.dtype.kind != "U":
            return None
        return cls(vectors, answerable.astype(bool), pages, signature(encoder))


def likeness_from(sims: np.ndarray, answerable: np.ndarray) -> float:
    """From one question's cosines to some precedents and their labels: the closest
    unanswerable minus the closest answerable, or 0 when either kind is missing."""
    if answerable.all() or not answerable.any():
        return 0.0
    return float(sims[~answerable].max() - sims[answerable].max())
