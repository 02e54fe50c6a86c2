"""Questions asked before, each known to be answered by the wiki or not: precedents.

"Who led the Glasgow rent strike?" and "how many tents were at Zuccotti Park?" sit right on a
page's topic, share its names, and ask for a detail the page does not give. No cosine to the
page tells them from "which tactics did the Glasgow tenants use?". What does is how much they
resemble earlier questions the wiki could not answer, more than earlier ones it could: the
same kinds of requests (who led, how many, which law, which app, a recipe) recur in every
language. `likeness` is one signal of the grounding model (`retrieval.search.grounding`).

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


@dataclass(frozen=True, eq=False)
class Precedents:
    vectors: np.ndarray  # unit rows, one per question (stored as float16: 0.001 is noise)
    answerable: np.ndarray  # bool, one per row
    encoder: str  # "<name> <weights sha256>" of the encoder that made `vectors`

    def likeness(self, query: np.ndarray, *, among: np.ndarray | None = None) -> float:
        """Cosine to the closest unanswerable precedent minus cosine to the closest answerable
        one; `among` (a bool mask) limits the precedents, as calibration does to leave a
        question's own row out."""
        sims = self.vectors @ query
        if among is None:
            return likeness_from(sims, self.answerable)
        return likeness_from(sims[among], self.answerable[among])

    def save(self, path: Path | None = None) -> None:
        arrays = {"vectors": self.vectors.astype(np.float16), "answerable": self.answerable}
        save_signed(path or PRECEDENTS, self.encoder, arrays)

    @classmethod
    def load(cls, encoder: Embedder, path: Path | None = None) -> Precedents | None:
        """The stored precedents (PRECEDENTS unless `path`), or None when there are none made
        by `encoder`."""
        found = load_signed(path or PRECEDENTS, encoder, ("vectors", "answerable"))
        if found is None:
            return None
        vectors, answerable = found["vectors"], found["answerable"]
        if answerable.ndim != 1 or vectors.shape != (len(answerable), encoder.dimension):
            return None
        return cls(vectors, answerable.astype(bool), signature(encoder))


def likeness_from(sims: np.ndarray, answerable: np.ndarray) -> float:
    """From one question's cosines to some precedents and their labels: the closest
    unanswerable minus the closest answerable, or 0 when either kind is missing."""
    if answerable.all() or not answerable.any():
        return 0.0
    return float(sims[~answerable].max() - sims[answerable].max())
