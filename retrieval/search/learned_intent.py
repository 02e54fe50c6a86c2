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

import re
import zlib
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
# Buckets the letter pieces are hashed into, and their weight beside the unit-length vector
# (the pieces are unit length too). By the cross-validation above: weight 0.5 / 1 / 2 named
# 0.899 / 0.909 / 0.890 of the kinds.
PIECE_BUCKETS = 2048
PIECE_WEIGHT = 1.0
_WORD = re.compile(r"\w+")


def letter_pieces(text: str) -> np.ndarray:
    """The question's pieces of 3-5 letters (of each word, its start and end marked), hashed
    into PIECE_BUCKETS counts, log-damped and scaled to unit length."""
    counts = np.zeros(PIECE_BUCKETS, dtype=np.float32)
    for word in _WORD.findall(text.casefold()):
        marked = f"<{word}>"
        for n in (3, 4, 5):
            for start in range(len(marked) - n + 1):
                counts[zlib.crc32(marked[start : start + n].encode()) % PIECE_BUCKETS] += 1
    damped = np.log1p(counts)
    norm = float(np.linalg.norm(damped))
    return damped / norm if norm else damped


def features(vector: np.ndarray, text: str) -> np.ndarray:
    """What the model reads of a question: its vector, then its letter pieces."""
    return np.concatenate([vector, PIECE_WEIGHT * letter_pieces(text)])


@dataclass(frozen=True, eq=False)
class LearnedIntent:
    # (dimension + PIECE_BUCKETS + 1, len(KINDS)): one column per kind, bias last row
    weights: np.ndarray
    encoder: str  # signature of the encoder whose vectors it reads

    def probabilities(self, query: np.ndarray, text: str) -> dict[str, float]:
        """How likely the question (`query`, its vector; `text`, its words) asks for each
        kind."""
        logits = features(query, text) @ self.weights[:-1] + self.weights[-1]
        exp = np.exp(logits - logits.max())
        return dict(zip(KINDS, (exp / exp.sum()).tolist(), strict=True))

    def save(self, path: Path | None = None) -> None:
        save_signed(path or LEARNED, self.encoder, {"weights": self.weights})

    @classmethod
    def load(cls, encoder: Embedder, path: Path | None = None) -> LearnedIntent | None:
        """The stored model (LEARNED unless `path`), or None when it is not `encoder`'s."""
        found = load_signed(path or LEARNED, encoder, ("weights",))
        shape = (encoder.dimension + PIECE_BUCKETS + 1, len(KINDS))
        if found is None or found["weights"].shape != shape:
            return None
        return cls(found["weights"], signature(encoder))


def fit(
    vectors: np.ndarray, texts: Sequence[str], kinds: Sequence[str], encoder: str, *,
    l2: float = L2, steps: int = 2000, rate: float = 1.0,
) -> LearnedIntent:  # fmt: skip
    """A softmax regression from the questions (`vectors` and their `texts`) to `kinds` (each
    one of KINDS), by gradient descent with an L2 penalty on the weights but not the bias."""
    read = np.array([features(v, t) for v, t in zip(vectors, texts, strict=True)])
    x = np.hstack([read.astype(np.float64), np.ones((len(read), 1))])
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
