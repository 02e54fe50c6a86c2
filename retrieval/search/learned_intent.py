"""Which section a question asks for, learned from the labelled development questions.

The typical questions of `sections.QUESTIONS` say what each kind of question sounds like, but
a mean cosine to them also carries the topic. A softmax regression over the multilingual
encoder's vectors, fitted on the development questions that ask for a kind of section (and on
those typical questions), learns which directions of the vector mean "the risks" or "the
steps" in any language: by 5-fold cross-validation it names the kind of 0.87 of them, against
0.74 for the typical questions alone. `sections.IntentModel` adds its probabilities to the
typical questions' scores. It is fitted by `python -m bench.calibrate` and stored beside this
file with the encoder it was fitted for; with any other encoder it is not used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from retrieval.embedding import Embedder
from retrieval.embedding.base import signature
from retrieval.search.fitted import load_signed, save_signed

LEARNED = Path(__file__).with_name("learned_intent.npz")
KINDS = ("definition", "how-to", "risks", "when", "examples")
# Chosen by 5-fold cross-validation on the development questions: naming the kind, 0.86 with
# 0.001, 0.87 with 0.0003, 0.74 with 0.01 (more smooths every kind into the topic).
L2 = 0.0003


@dataclass(frozen=True, eq=False)
class LearnedIntent:
    weights: np.ndarray  # (dimension + 1, len(KINDS)): one column per kind, bias last row
    encoder: str  # signature of the encoder whose vectors it reads

    def probabilities(self, query: np.ndarray) -> dict[str, float]:
        logits = query @ self.weights[:-1] + self.weights[-1]
        exp = np.exp(logits - logits.max())
        return dict(zip(KINDS, (exp / exp.sum()).tolist(), strict=True))

    def save(self, path: Path | None = None) -> None:
        save_signed(path or LEARNED, self.encoder, {"weights": self.weights})

    @classmethod
    def load(cls, encoder: Embedder, path: Path | None = None) -> LearnedIntent | None:
        """The stored model (LEARNED unless `path`), or None when it is not `encoder`'s."""
        found = load_signed(path or LEARNED, encoder, ("weights",))
        if found is None or found["weights"].shape != (encoder.dimension + 1, len(KINDS)):
            return None
        return cls(found["weights"], signature(encoder))


def fit(
    vectors: np.ndarray, kinds: Sequence[str], encoder: str, *, l2: float = L2,
    steps: int = 2000, rate: float = 1.0,
) -> LearnedIntent:  # fmt: skip
    """A softmax regression from `vectors` to `kinds` (each one of KINDS), by gradient descent
    with an L2 penalty on the weights but not the bias."""
    x = np.hstack([vectors.astype(np.float64), np.ones((len(vectors), 1))])
    y = np.eye(len(KINDS))[[KINDS.index(kind) for kind in kinds]]
    w = np.zeros((x.shape[1], len(KINDS)))
    penalised = np.ones_like(w)
    penalised[-1] = 0.0
    for _ in range(steps):
        logits = x @ w
        p = np.exp(logits - logits.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        w -= rate * (x.T @ (p - y) / len(x) + l2 * w * penalised)
    return LearnedIntent(w.astype(np.float32), encoder)
