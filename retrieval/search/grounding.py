"""Is a page a grounded answer to a question? A calibrated confidence from several signals.

One cosine cannot tell "how do we run a rent strike?" from "is it legal to withhold rent in
California?": both are close to the rent-strike page. So the confidence combines what the
retrieval already knows: how close the page's best passage and best sentence are (with each
encoder), whether the question's words, names and numbers occur in the page at all, whether
it names the page, whether it is in English, whether it asks for what a methods wiki does not
hold (a law, an amount, a software setting: `retrieval.search.scope`), and whether it
resembles earlier questions the wiki could not answer (`retrieval.search.precedents`). A
logistic model over those signals is fitted on the calibration questions by `python -m
bench.calibrate` and stored beside this file (`grounding.json`), with the encoders it was
fitted for; the quality benchmark reports it on held-out questions it never saw. With other
encoders, or without the precedents it was fitted with (`retrieval.search.precedents`; a
warning says so), there is no calibration, and the best passage's cosine is the confidence.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from retrieval.embedding import MULTILINGUAL
from retrieval.index.reader import LoadedBuild
from retrieval.search.ranking import SAME_LANGUAGE_BIAS, Hit, Query
from retrieval.wiki.language import content_terms

CALIBRATION = Path(__file__).with_name("grounding.json")
FEATURES = (
    "closest_passage", "closest_passage_multilingual", "closest_sentence_multilingual",
    "words_in_passages", "names_the_page", "not_english", "unknown_words", "unknown_word_count",
    "names_in_page", "names_missing", "off_scope", "like_unanswerable", "closest_passage_to_ask",
)  # fmt: skip
# Regularisation of the fit: chosen by 5-fold cross-validation on the calibration questions
# (refused of the unanswerable questions in the folds each fit did not see, at 0.96
# answered): on 414 questions and 11 signals 0.831 with 0.03, 0.809 with 0.1, 0.762 with 0.3;
# re-checked on 705 and 12 signals, 0.878 with 0.01, 0.873 with 0.03, 0.850 with 0.1.
L2 = 0.03
_NAME = re.compile(r"\w[\w()]*")
_OPENING = " \t\n\"'«»“”„‚‘’(-–—"  # may stand between a sentence's end and its next word
_SENTENCE_END = ".?!:;…¿¡"


def evidence(build: LoadedBuild, query: Query, page_hits: Sequence[Hit]) -> dict[str, float]:
    """The signals for one page, from its hits (best first) for this question."""
    english = query.lang == "en"
    pids = [hit.passage.id for hit in page_hits]
    multilingual = MULTILINGUAL in query.vectors and MULTILINGUAL in build.matrices
    closest_ml = sentence_ml = passage_ask_ml = 0.0
    closest = max(hit.dense for hit in page_hits)
    if multilingual:
        vector = query.vectors[MULTILINGUAL]
        rows = build.matrices[MULTILINGUAL][pids]
        closest_ml = float(np.max(rows @ vector))
        # A question told as a situation first asks in its last sentence, which the whole
        # question's vector dilutes.
        passage_ask_ml = closest_ml
        if query.ask_vector is not None:
            passage_ask_ml = float(np.max(rows @ query.ask_vector))
        sentences = [build.passages[pid].vectors[MULTILINGUAL].sentence_vectors for pid in pids]
        filled = [s for s in sentences if len(s)]
        if filled:
            sentence_ml = float(np.max(np.concatenate(filled).astype(np.float32) @ vector))
    # A page in the question's own language looks closer than it is (ranking.py); without
    # this, a translation's confidence would outrank the English page that answers.
    if multilingual and not english and build.pages[page_hits[0].passage.slug].lang == query.lang:
        closest_ml -= SAME_LANGUAGE_BIAS
        sentence_ml -= SAME_LANGUAGE_BIAS
        passage_ask_ml -= SAME_LANGUAGE_BIAS
        closest -= SAME_LANGUAGE_BIAS
    terms = [t for t in content_terms(query.text) if len(t) > 2 and not t.isdigit()]
    unknown = [t for t in terms if build.document_frequency.get(t, 0) == 0]
    stems = {t[:5] for t in terms}
    near = build.stems(hit.passage.id for hit in page_hits[:2])
    page_text = build.page_text(page_hits[0].passage.slug)
    # A capital marks a name except where a sentence starts; German capitalises every noun,
    # so there it counts only inside a word ("McAlevey", "ACT"). A digit always does.
    capital = _inner_capital if query.lang == "de" else _capitalised
    names = [
        match[0]
        for match in _NAME.finditer(query.text)
        if _has_digit(match[0])
        or (capital(match[0]) and not _starts_sentence(query.text, match.start()))
    ]
    found = sum(1 for name in names if name.casefold() in page_text)
    names_in_page = found / len(names) if names else 1.0
    return {
        "closest_passage": closest,
        "closest_passage_multilingual": closest_ml,
        "closest_sentence_multilingual": sentence_ml,
        "closest_passage_to_ask": passage_ask_ml,
        "words_in_passages": len(stems & near) / len(stems) if english and stems else 0.0,
        "names_the_page": float(page_hits[0].exact),
        "not_english": float(not english),
        "unknown_words": len(unknown) / len(terms) if english and terms else 0.0,
        "unknown_word_count": float(min(len(unknown), 3)) if english else 0.0,
        "names_in_page": names_in_page,
        "names_missing": min(len(names), 3) * (1 - names_in_page),
        "off_scope": query.off_scope,
        "like_unanswerable": query.like_unanswerable,
    }


def _starts_sentence(text: str, position: int) -> bool:
    before = text[:position].rstrip(_OPENING)
    return not before or before[-1] in _SENTENCE_END


def _capitalised(token: str) -> bool:
    return token[0].isupper()


def _inner_capital(token: str) -> bool:
    return any(char.isupper() for char in token[1:])


def _has_digit(token: str) -> bool:
    return any(char.isdigit() for char in token)


@dataclass(frozen=True)
class GroundingModel:
    """A fitted logistic model: confidence = sigmoid(weights · standardised signals)."""

    encoders: dict[str, str]  # role -> model name it was fitted with
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]  # bias first, then one per FEATURES
    threshold: float  # the confidence at which a page counts as an answer to an English question
    fitted_on: str
    # The same for questions in other languages (None: as for English): each group of
    # languages keeps its own share of answerable questions answered.
    threshold_not_english: float | None = None
    features: tuple[str, ...] = FEATURES  # a subset only when the benchmark compares them

    def threshold_for(self, lang: str) -> float:
        """The confidence a page needs to answer a question written in `lang`."""
        if lang == "en" or self.threshold_not_english is None:
            return self.threshold
        return self.threshold_not_english

    def confidence(self, signals: dict[str, float]) -> float:
        total = self.weights[0]
        for name, mean, scale, weight in zip(
            self.features, self.mean, self.scale, self.weights[1:], strict=True
        ):
            total += weight * (signals[name] - mean) / scale
        return 1 / (1 + math.exp(-total))

    def suits(self, encoders: dict[str, str]) -> bool:
        return encoders == self.encoders

    def save(self, path: Path = CALIBRATION) -> None:
        data = {
            "fitted_on": self.fitted_on, "encoders": self.encoders, "features": self.features,
            "mean": self.mean, "scale": self.scale, "weights": self.weights,
            "threshold": self.threshold, "threshold_not_english": self.threshold_not_english,
        }  # fmt: skip
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path = CALIBRATION) -> GroundingModel | None:
        """The stored calibration, or None when there is none for these features."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if tuple(data.get("features", ())) != FEATURES:
            return None
        return cls(
            dict(data["encoders"]), tuple(data["mean"]), tuple(data["scale"]),
            tuple(data["weights"]), float(data["threshold"]), str(data["fitted_on"]),
            None if data.get("threshold_not_english") is None
            else float(data["threshold_not_english"]),
        )  # fmt: skip


def fit(
    signals: Sequence[dict[str, float]], answerable: Sequence[bool], *, l2: float = L2,
    steps: int = 3000, rate: float = 0.5, features: Sequence[str] = FEATURES,
) -> tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...]]:  # fmt: skip
    """(mean, scale, weights) of an L2-regularised logistic regression, by gradient descent,
    over `features` (all of FEATURES but when the benchmark compares subsets)."""
    x = np.array([[s[name] for name in features] for s in signals], dtype=np.float64)
    y = np.array(answerable, dtype=np.float64)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    w = np.zeros(z.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-z @ w))
        gradient = z.T @ (p - y) / len(y) + l2 * np.r_[0.0, w[1:]]
        w -= rate * gradient
    return tuple(mean.tolist()), tuple(scale.tolist()), tuple(w.tolist())
