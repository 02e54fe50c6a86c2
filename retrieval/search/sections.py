"""Which section of a page should lead: the steps for "how do we…", the risks for "what can
go wrong", the examples for "any examples?", the summary for "what is…".

Each passage knows its section's kind (`retrieval.index.kinds`, decided at build time). A
question's intent is how much closer it is to each kind's typical questions than to the
average kind, by the multilingual encoder's similarity to questions written once in English,
so it works the same for a German, French or Spanish question; a model learned from labelled
questions (`learned_intent`) sharpens it. `sections_by_fit` fills each
page's places in the ranking with its sections ordered by cosine plus INTENT_WEIGHT times the
intent score of the section's kind. Which pages lead is decided by `ranking.rank` first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from retrieval.embedding import Embedder
from retrieval.search.learned_intent import LearnedIntent

if TYPE_CHECKING:
    from retrieval.search.ranking import Hit

# What people ask when they want a section of each kind.
QUESTIONS: dict[str, tuple[str, ...]] = {
    "definition": (
        "what is it", "what does this mean", "explain this concept", "definition of",
        "what is a", "what exactly is",
    ),
    "how-to": (
        "how do we do this step by step", "how to organise it", "steps to run it",
        "how do I start", "how should we prepare", "how did they do it",
    ),
    "risks": (
        "what can go wrong", "what are the risks", "dangers and pitfalls",
        "what mistakes to avoid", "what are the downsides and limits",
    ),
    "when": (
        "when should we use this", "what is it good for", "in which situations does it make sense",
        "when is it useful",
    ),
    "examples": (
        "give me examples", "real examples of this in practice", "famous cases where it was used",
        "which campaigns did this",
    ),
    "sources": (
        "what sources back this up", "where can I read more", "which books and evidence",
        "how was this verified",
    ),
}  # fmt: skip
# In cosine units per unit of intent score; chosen on the 86 section-labelled questions of
# tests/eval/calibration.jsonl (2.0 -> 2.5 lifted German section P@1 from 0.69 to 0.75, and
# to 0.81 with the "mechanism" kind; 3.0 cost English; on all 177 labelled development
# questions 2.5 and 3.0 tie): strong enough to put the asked-for
# section first on a page, too weak to lift an unrelated one. A kind no question asks for
# ("mechanism", history) has no intent score.
INTENT_WEIGHT = 2.5
# The learned model's share (`learned_intent`): each kind's intent score gains this times how
# much its probability exceeds an even one. Once the model also read the question's letters
# it was worth trusting more: by 5-fold cross-validation on the 1,755 development questions,
# section P@1 de / en / es / fr with a share of 0.2: 0.813 / 0.779 / 0.784 / 0.818; 0.4:
# 0.813 / 0.796 / 0.803 / 0.827; 0.8: 0.808 / 0.807 / 0.807 / 0.832; 1.5: 0.804 / 0.804 /
# 0.807 / 0.832. (Before the letters, 0.2 had been best, 0.5 mixed.)
LEARNED_SHARE = 0.8


class IntentModel:
    """The typical questions of each kind, embedded once by the encoder that reads intent."""

    def __init__(self, encoder: Embedder, learned: LearnedIntent | None = None) -> None:
        self.encoder = encoder
        self.learned = learned
        self._kinds = list(QUESTIONS)
        # One call for all of them: each call has a fixed cost, and this runs at every start.
        every = encoder.embed([text for kind in self._kinds for text in QUESTIONS[kind]])
        ends = np.cumsum([len(QUESTIONS[kind]) for kind in self._kinds])
        self._vectors = np.split(every, ends[:-1])

    @property
    def question_vectors(self) -> np.ndarray:
        """Every kind's typical questions, one row each."""
        return np.vstack(self._vectors)

    def scores(
        self, query: np.ndarray, text: str, ask: np.ndarray | None = None
    ) -> dict[str, float]:
        """How much closer the question (`query`, its vector; `text`, its words; `ask`, its
        last sentence's vector when that is not the whole question) is to each kind's
        questions than to the average."""
        raw = [float((vectors @ query).mean()) for vectors in self._vectors]
        mean = sum(raw) / len(raw)
        scores = {kind: value - mean for kind, value in zip(self._kinds, raw, strict=True)}
        if self.learned is not None:
            probabilities = self.learned.probabilities(query, text, ask)
            even = 1 / len(probabilities)
            for kind, p in probabilities.items():
                scores[kind] += LEARNED_SHARE * (p - even)
        return scores


def section_fit(cosine: float, kind: str, intent: dict[str, float]) -> float:
    """How well a section fits a question: its cosine plus INTENT_WEIGHT times the intent
    score of the section's kind."""
    return cosine + INTENT_WEIGHT * intent.get(kind, 0.0)


def sections_by_fit(hits: list[Hit], intent: dict[str, float]) -> list[Hit]:
    """Keep each page's places in the ranking, but fill them with its sections in order of
    fit (`section_fit`)."""

    def fit(hit: Hit) -> float:
        return section_fit(hit.dense, hit.passage.kind, intent)

    by_page: dict[str, list[Hit]] = {}
    for hit in hits:
        by_page.setdefault(hit.passage.slug, []).append(hit)
    for group in by_page.values():
        group.sort(key=fit, reverse=True)
    return [by_page[hit.passage.slug].pop(0) for hit in hits]
