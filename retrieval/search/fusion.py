"""Ways to merge the dense and the lexical ranking into one: a strategy each.

Reciprocal rank fusion needs no calibration of either score; the weighted mix of cosine and
lexical rank is kept as the measured alternative (both within 0.01 MRR on the question set,
bench/results/quality.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

# 60 is the usual constant; bench/results/quality.md compares others.
RRF_K = 60
# Which strategy `rank` uses for hybrid search.
FUSION: Literal["rrf", "weighted"] = "rrf"
DENSE_WEIGHT = 0.7
# The rankings fused for a question, by the question's language: an encoder's role for its
# dense ranking, or "lexical" for bm25. Chosen on the development questions (compared in
# bench/results/quality.md): for English, both encoders and bm25 (MRR 0.953 against 0.948
# without the multilingual encoder); for other languages the multilingual encoder alone,
# since the English-only rankings only add noise to a German question (cross-lingual R@3
# 0.913 against 0.826 with bm25 and 0.587 with everything). A further ranking of pages by
# their mean passage vector, for the other languages, gained page R@1 0.003-0.007 and lost
# section P@1 in German and French (0.847 / 0.861 -> 0.834 / 0.845; `bench.ranking_cv`).
PLANS: dict[str, tuple[str, ...]] = {
    "en": ("english", "multilingual", "lexical"),
    "other": ("multilingual",),
}


def reciprocal_rank(rankings: Sequence[Sequence[int]], k: int | None = None) -> dict[int, float]:
    """Each passage id's summed 1 / (k + rank) over the rankings that list it, in first-seen
    order; `k` defaults to RRF_K as it is when called (the benchmark sweeps it)."""
    k = RRF_K if k is None else k
    fused: dict[int, float] = {}
    for ranking in rankings:
        for position, pid in enumerate(ranking):
            fused[pid] = fused.get(pid, 0.0) + 1.0 / (k + position + 1)
    return fused


def weighted(cosine: dict[int, float], lexical_ids: Sequence[int]) -> dict[int, float]:
    """Cosine plus a share for lexical rank (1 for the first, falling to 0)."""
    lexical = {pid: 1 - position / len(lexical_ids) for position, pid in enumerate(lexical_ids)}
    return {
        pid: DENSE_WEIGHT * score + (1 - DENSE_WEIGHT) * lexical.get(pid, 0.0)
        for pid, score in cosine.items()
    }
