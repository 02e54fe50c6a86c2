"""Does a question ask for what a wiki of organising methods does not hold?

Near misses share words with a page: "how much strike pay does the union give?" is close to
the strike page, "is it legal to withhold rent here?" to the rent-strike page. What gives
them away is what they ask for: a law, an amount, a date, a software setting, an office to
file with. `ScopeModel` scores how much closer a question is to the nearest such request
than to the nearest question a methods page answers (`sections.QUESTIONS`), with the
multilingual encoder, so a German or Spanish near miss scores as its English twin would.
The score is one signal of the grounding model (`retrieval.search.grounding`), which learns
how much it counts.
"""

from __future__ import annotations

import numpy as np

from retrieval.search.sections import IntentModel

# Requests a methods wiki does not answer, by kind (written in English; the encoder is
# multilingual). Chosen from the development questions' near misses, never the held-out ones.
# The second half of "fact" came from tests/eval/calibration2.jsonl: on all 414 development
# questions, by cross-validation, refused 0.756 -> 0.796 at 0.955 answered; prototypes for
# "other movements" cost 0.05 and were left out.
OUT_OF_SCOPE: dict[str, tuple[str, ...]] = {
    "law": (
        "is it legal to do this", "what does the law say about it",
        "can we be sued or fined for this", "what are our legal rights",
        "which form must we file with the authorities",
    ),
    "amount": (
        "how much does it cost", "how many people took part", "what is the price",
        "how much money is paid", "what is the usual salary or fee",
    ),
    "fact": (
        "who was the leader and in which year", "when exactly did it happen",
        "what was the final result", "what is the latest news about it", "who led it",
        "who founded it and when", "how many people were killed or arrested",
        "in which year did it start", "how many members does it have now",
        "what happened to them afterwards", "which union organised it",
    ),
    "tool": (
        "how do I configure this software", "which settings should I change in the app",
        "how do I set it up in the tool",
    ),
    "admin": (
        "how do we register our group officially", "where can we rent a room",
        "how do we open a bank account", "how do we write a funding application",
    ),
    "off-topic": (
        "what is the weather today", "give me a recipe", "who won the match",
        "recommend a restaurant",
    ),
}  # fmt: skip
# An organiser describing their own trouble asks in scope too ("our landlord won't fix the
# heating, could we do a rent strike?"), though it reads like a legal question; with these
# beside the questions each section answers (`sections.QUESTIONS`), refusals rose 0.796 ->
# 0.831 by cross-validation on the 414 development questions, and the answerable ones of
# tests/eval/questions.jsonl were answered 0.951 of the time across the folds and repeats
# (0.927 without).
SITUATIONS = (
    "our group has this problem, what should we do", "we tried it and it failed, what went wrong",
    "could this tactic work in our situation", "how do we get more people involved",
    "what is the point of doing it this way", "how do we stop this happening again",
)  # fmt: skip


class ScopeModel:
    """Both sets of questions, embedded once by the encoder that reads intent; the section
    questions are the intent model's own vectors, not embedded again."""

    def __init__(self, intents: IntentModel) -> None:
        outside = [q for group in OUT_OF_SCOPE.values() for q in group]
        vectors = intents.encoder.embed(outside + list(SITUATIONS))
        self._outside = vectors[: len(outside)]
        self._inside = np.vstack([intents.question_vectors, vectors[len(outside) :]])

    def off_scope(self, query: np.ndarray) -> float:
        """Cosine to the closest out-of-scope request minus cosine to the closest question a
        methods page answers. (Nearest neighbours told near misses apart better than the mean
        over each kind: 0.827 against 0.804 refused at 0.96 answered, by cross-validation on
        the 263 development questions of the time.)"""
        return float((self._outside @ query).max() - (self._inside @ query).max())
