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
        keep = np.ones(len(sims), dtype=bool) if among is None else among
        unanswerable, answerable = sims[keep & ~self.answerable], sims[keep & self.answerable]
        if not len(unanswerable) or not len(answerable):
            return 0.0
        return float(unanswerable.max() - answerable.max())

    def save(self, path: Path | None = None) -> None:
        path = path or PRECEDENTS
        tmp = path.with_suffix(".tmp.npz")
        np.savez_compressed(
            tmp, vectors=self.vectors.astype(np.float16), answerable=self.answerable,
            encoder=np.array(self.encoder),
        )  # fmt: skip
        tmp.replace(path)

    @classmethod
    def load(cls, encoder: Embedder, path: Path | None = None) -> Precedents | None:
        """The stored precedents (PRECEDENTS unless `path`), or None when there are none made
        by `encoder`."""
        try:
            with np.load(path or PRECEDENTS, allow_pickle=False) as stored:
                made_by = str(stored["encoder"])
                if made_by != signature(encoder):
                    return None
                vectors = stored["vectors"].astype(np.float32)
                answerable = stored["answerable"].astype(bool)
        except (OSError, ValueError, KeyError):
            return None
        if vectors.ndim != 2 or vectors.shape != (len(answerable), encoder.dimension):
            return None
        return cls(vectors, answerable, made_by)
