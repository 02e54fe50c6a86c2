"""Does a question ask for what a wiki of organising methods does not hold?

Near misses share words with a page: "how much strike pay does the union give?" is close to
the strike page, "is it legal to withhold rent here?" to the rent-strike page. What gives
them away is what they ask for: a law, an amount, a date, a software setting, an office to
file with. `ScopeModel` scores how much closer a question is to such requests than to the
questions a methods page answers, with the multilingual encoder, so a German or Spanish near
miss scores as its English twin would. The score is one signal of the grounding model
(`retrieval.search.grounding`), which learns how much it counts.
"""

from __future__ import annotations

import numpy as np

from retrieval.embedding import Embedder

# Requests a methods wiki does not answer, by kind (written in English; the encoder is
# multilingual). Chosen from the development questions' near misses, never the held-out ones.
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
        "what was the final result", "what is the latest news about it",
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
# What a methods page answers.
IN_SCOPE = (
    "how do we organise this", "what is this method", "how does this tactic work",
    "what can go wrong with it", "examples of campaigns that did this", "when should we use it",
)  # fmt: skip


class ScopeModel:
    """The requests above, embedded once by the encoder that reads questions in any language."""

    def __init__(self, encoder: Embedder) -> None:
        self._outside = [encoder.embed(list(group)) for group in OUT_OF_SCOPE.values()]
        self._inside = encoder.embed(list(IN_SCOPE))

    def off_scope(self, query: np.ndarray) -> float:
        """How much closer the question is to the nearest kind of out-of-scope request than
        to what a methods page answers (mean cosine to each group's questions)."""
        outside = max(float((vectors @ query).mean()) for vectors in self._outside)
        return outside - float((self._inside @ query).mean())
