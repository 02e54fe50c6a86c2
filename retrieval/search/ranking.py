"""Hybrid search over one build: dense (faiss) and lexical (FTS5 bm25), fused by rank.

Everything here is CPU-bound and synchronous; the bot calls it from its worker thread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import numpy as np

from retrieval.index.reader import LoadedBuild
from retrieval.index.store import StoredPassage
from retrieval.models import Page
from retrieval.search import fusion
from retrieval.search.sections import sections_by_fit

Mode = Literal["hybrid", "dense", "lexical"]
CANDIDATES = 50


@dataclass(frozen=True, eq=False)
class Hit:
    passage: StoredPassage
    page: Page
    dense: float  # cosine similarity of question and passage
    fused: float
    exact: bool = False  # the question names this page by title, alias or slug


def rank(
    build: LoadedBuild,
    question: str,
    query: np.ndarray,
    *,
    mode: Mode = "hybrid",
    include_stubs: bool = False,
    k: int = CANDIDATES,
) -> list[Hit]:
    """Passages ranked for a question, best first, at most one per page section."""
    dense_ids = build.dense(query, k) if mode != "lexical" else []
    lexical_ids = build.lexical(question, k) if mode != "dense" else []
    fused = fusion.reciprocal_rank((dense_ids, lexical_ids))
    exact = set(build.exact_pages(question)) if mode == "hybrid" else set()
    for slug in exact:  # a page the question names is a candidate even if no ranking found it
        for pid in build.by_slug.get(slug, []):
            fused.setdefault(pid, 0.0)
    cosine = build.matrix[list(fused)] @ query if fused else np.zeros(0)
    scored = {pid: float(c) for pid, c in zip(fused, cosine, strict=True)}
    if fusion.FUSION == "weighted" and mode == "hybrid":
        fused = fusion.weighted(scored, lexical_ids)
    hits = []
    for pid, score in fused.items():
        passage = build.passages[pid]
        page = build.pages[passage.slug]
        if page.status == "stub" and not include_stubs:
            continue
        is_exact = page.original_slug in exact
        hits.append(Hit(passage, page, scored[pid], score, is_exact))
    hits.sort(key=lambda h: (h.fused, h.dense), reverse=True)
    # The best passage of each page the question names comes first; the rest keep their rank.
    named: dict[str, Hit] = {}
    for hit in sorted((h for h in hits if h.exact), key=lambda h: -h.dense):
        named.setdefault(hit.page.original_slug, hit)
    first = list(named.values())
    chosen = {id(hit) for hit in first}
    ordered = _one_per_section(first + [h for h in hits if id(h) not in chosen])
    return sections_by_fit(ordered, question) if mode == "hybrid" else ordered


def _one_per_section(hits: list[Hit]) -> list[Hit]:
    seen: set[tuple[str, str]] = set()
    kept = []
    for hit in hits:
        key = (hit.passage.slug, hit.passage.section)
        if key not in seen:
            seen.add(key)
            kept.append(hit)
    return kept


def in_language(build: LoadedBuild, hit: Hit, lang: str, query: np.ndarray) -> tuple[Hit, bool]:
    """The hit moved to the asker's language version of its page; True when none exists."""
    target, fell_back = build.version_for(hit.page.original_slug, lang)
    if target == hit.passage.slug:
        return hit, fell_back
    ids = build.by_slug.get(target, [])
    if not ids:
        return hit, fell_back
    scores = build.matrix[ids] @ query
    best = ids[int(np.argmax(scores))]
    passage = build.passages[best]
    moved = Hit(passage, build.pages[target], float(np.max(scores)), hit.fused, hit.exact)
    return moved, fell_back


def clean_question(text: str) -> str:
    """Collapse whitespace, drop what is not valid text (undecodable bytes arrive from a
    terminal as lone surrogates), and cut absurdly long questions: the model reads ~256
    tokens."""
    text = text.encode("utf-8", "replace").decode("utf-8")
    return re.sub(r"\s+", " ", text).strip()[:1000]


def rank_in_language(
    build: LoadedBuild, question: str, query: np.ndarray, lang: str, *, mode: Mode = "hybrid",
    include_stubs: bool = False,
) -> tuple[list[Hit], bool]:  # fmt: skip
    """`rank`, each hit moved to the asker's language version of its page; True when some
    page had none and English was used."""
    ranked = rank(build, question, query, mode=mode, include_stubs=include_stubs)
    hits, seen, fell_back = [], set(), False
    for hit in ranked:
        moved, fallback = in_language(build, hit, lang, query)
        key = (moved.passage.slug, moved.passage.section)
        if key in seen:
            continue
        seen.add(key)
        hits.append(moved)
        fell_back = fell_back or fallback
    return hits, fell_back and lang != "en"
