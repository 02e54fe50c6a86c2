"""Which section a question asks for, learned from the labelled development questions.

The typical questions of `sections.QUESTIONS` say what each kind of question sounds like, but
a mean cosine to them also carries the topic. A softmax regression over the multilingual
encoder's vectors (of the question and of its last sentence), hashed letter pieces and
hashed words and word pairs, fitted on the development questions that ask for a kind of
section (and on those typical questions), learns which directions of the vector and which
words mean "the risks" or "the steps" in any language: by 5-fold cross-validation it names
the kind of 0.93 of them, against 0.74 for the typical questions alone.
`sections.IntentModel` adds its probabilities to the typical questions' scores. It is fitted
by `python -m bench.calibrate` and stored beside this file with the encoder it was fitted
for; with any other encoder it is not used.
"""

from __future__ import annotations

import itertools
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
# Words and pairs of neighbouring words ("good for", "sirve para", "wozu ist"), hashed into
# WORD_BUCKETS: an ask is often a phrase, which letter pieces inside single words miss. By
# 5-fold cross-validation with each fold a whole question set (the development sets were
# written apart, as a held-out set is), naming the kind of the 1,623 labelled questions: 0.924
# without them, 0.932 with them (de / en / es / fr 0.924 / 0.922 / 0.925 / 0.926 -> 0.929 /
# 0.927 / 0.940 / 0.936).
WORD_BUCKETS = 2048
_WORD = re.compile(r"\w+")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])\s+")


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


def word_pairs(text: str) -> np.ndarray:
    """The question's words and pairs of neighbouring words (its start and end marked),
    hashed into WORD_BUCKETS counts, log-damped and scaled to unit length."""
    counts = np.zeros(WORD_BUCKETS, dtype=np.float32)
    found = _WORD.findall(text.casefold())
    for word in found:
        counts[zlib.crc32(f"w:{word}".encode()) % WORD_BUCKETS] += 1
    marked = ["<s>", *found, "</s>"]
    for first, second in itertools.pairwise(marked):
        counts[zlib.crc32(f"{first} {second}".encode()) % WORD_BUCKETS] += 1
    damped = np.log1p(counts)
    norm = float(np.linalg.norm(damped))
    return damped / norm if norm else damped


def the_ask(text: str) -> str:
    """The question's last sentence. A question that tells its situation first ("Our rally
    was half empty. The team meets on Thursday. What should we go through?") ends with what
    it asks for, and its vector is mostly the situation: the model also reads the ask alone.
    By 5-fold cross-validation on the 1,485 section-labelled development questions, naming
    the kind: 0.904 from the whole question, 0.928 with its last sentence's vector and
    letters as well (German 0.879 -> 0.912)."""
    sentences = [part for part in _SENTENCE_BREAK.split(text.strip()) if part]
    return sentences[-1] if sentences else text


def told_first(texts: Sequence[str]) -> dict[int, str]:
    """The questions whose last sentence is not the whole of them, by index, with that
    sentence: the ones whose ask needs a vector of its own."""
    asks = {n: the_ask(text) for n, text in enumerate(texts)}
    return {n: ask for n, ask in asks.items() if ask != texts[n]}


def weights_shape(dimension: int) -> tuple[int, int]:
    """The fitted weights' shape for vectors of `dimension`: the question's vector, letter
    pieces and words, its last sentence's, and a bias; one column per kind."""
    return 2 * (dimension + PIECE_BUCKETS + WORD_BUCKETS) + 1, len(KINDS)


def features(vector: np.ndarray, text: str, ask: np.ndarray | None = None) -> np.ndarray:
    """What the model reads of a question: its vector, letter pieces and words, then those of
    its last sentence (`ask`, that sentence's vector; None when it is the whole question)."""
    last = the_ask(text)
    pieces, pairs = letter_pieces(text), word_pairs(text)
    alone = last == text
    return np.concatenate([
        vector, PIECE_WEIGHT * pieces, pairs,
        vector if ask is None else ask,
        PIECE_WEIGHT * (pieces if alone else letter_pieces(last)),
        pairs if alone else word_pairs(last),
    ])  # fmt: skip


@dataclass(frozen=True, eq=False)
class LearnedIntent:
    # weights_shape(dimension): one column per kind, bias last row
    weights: np.ndarray
    encoder: str  # signature of the encoder whose vectors it reads

    def probabilities(
        self, query: np.ndarray, text: str, ask: np.ndarray | None = None
    ) -> dict[str, float]:
        """How likely the question (`query`, its vector; `text`, its words; `ask`, the vector
        of its last sentence when that is not the whole question) asks for each kind."""
        logits = features(query, text, ask) @ self.weights[:-1] + self.weights[-1]
        exp = np.exp(logits - logits.max())
        return dict(zip(KINDS, (exp / exp.sum()).tolist(), strict=True))

    def save(self, path: Path | None = None) -> None:
        save_signed(path or LEARNED, self.encoder, {"weights": self.weights})

    @classmethod
    def load(cls, encoder: Embedder, path: Path | None = None) -> LearnedIntent | None:
        """The stored model (LEARNED unless `path`), or None when it is not `encoder`'s."""
        found = load_signed(path or LEARNED, encoder, ("weights",))
        if found is None or found["weights"].shape != weights_shape(encoder.dimension):
            return None
        return cls(found["weights"], signature(encoder))


def fit(
    vectors: np.ndarray, texts: Sequence[str], kinds: Sequence[str], encoder: str, *,
    asks: np.ndarray | None = None, l2: float = L2, steps: int = 2000, rate: float = 1.0,
) -> LearnedIntent:  # fmt: skip
    """A softmax regression from the questions (`vectors` and their `texts`; `asks`, the
    vectors of their last sentences, `vectors` when not given) to `kinds` (each one of
    KINDS), by gradient descent with an L2 penalty on the weights but not the bias."""
    last = vectors if asks is None else asks
    read = np.array([features(v, t, a) for v, t, a in zip(vectors, texts, last, strict=True)])
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
