"""Hybrid search over one build: dense (faiss) and lexical (FTS5 bm25), fused by rank.

Everything here is CPU-bound and synchronous; the bot calls it from its worker thread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np

from retrieval.embedding import ENGLISH, MULTILINGUAL
from retrieval.index.reader import LoadedBuild
from retrieval.index.store import StoredPassage
from retrieval.models import Page
from retrieval.search import fusion
from retrieval.search.sections import section_fit, sections_by_fit

Mode = Literal["hybrid", "dense", "lexical"]
CANDIDATES = 50
# Questions are cut here: the model reads ~256 tokens, and the answer says what was cut.
MAX_QUESTION_CHARS = 1000
# The multilingual encoder finds a passage in the question's own language closer than one of
# the same meaning in English, so a German question drifted to the three German translations
# whatever it asked. Passages in the question's language lose this much cosine in its
# ranking. Chosen on the development questions: cross-lingual R@1 0.848 -> 0.870 on the 263
# of questions.jsonl and calibration.jsonl, 0.791 -> 0.800 on all 414 with calibration2.jsonl;
# translated pages still found first. Measured again by `bench.ranking_cv` (5-fold, the 3,977
# development questions, near twins left out of the precedents; page R@1 / section P@1 de /
# es / fr 0.922 / 0.931 / 0.912, 0.847 / 0.873 / 0.861): 0.10 only swapped pages second and
# third; leaving translations out of the dense ranking (their original stands in) cost
# section P@1 0.040-0.064 for the same page R@1.
SAME_LANGUAGE_BIAS = 0.06
# A page whose second passage also matches is more likely the answer than one lucky passage:
# each hit gains this share of its page's second-best fused score. Cross-lingual R@1 0.804 ->
# 0.848 on the 263 development questions, 0.745 -> 0.800 on all 414; English unchanged. With
# 1.0 (`bench.ranking_cv`, as under SAME_LANGUAGE_BIAS) page R@1 moved by at most 0.003 and
# section P@1 fell in German and English (0.847 / 0.835 -> 0.840 / 0.827).
PAGE_SUPPORT = 0.5
# Each hit gains this times its page's share of the precedents' votes (`Precedents.read`):
# a page the nearest earlier questions were answered by. On the scale of fused scores, where
# one place in a ranking of 50 is worth about 0.0003. By 5-fold cross-validation on the 1,553
# development questions, page R@1 without votes / 0.01 / 0.02 / 0.04: cross-lingual 0.833 /
# 0.893 / 0.888 / 0.891, English 0.914 / 0.932 / 0.932 / 0.943, questions.jsonl 0.955 / 0.955
# / 0.964 / 0.936; section P@1 rose from 0.70-0.72 to 0.73-0.77 in every language with 0.02.
# With 1,957 development questions the neighbours are denser, and 0.02 / 0.04 / 0.06 gave page
# R@1 English 0.942 / 0.953 / 0.955, cross-lingual 0.903 / 0.900 / 0.896, and section P@1
# de / en / es / fr 0.776 / 0.787 / 0.827 / 0.800 -> 0.784 / 0.803 / 0.835 / 0.804 at 0.04.
# On the 3,977 of 2026-12-06 (`bench.ranking_cv`, as under SAME_LANGUAGE_BIAS), half the
# weight for questions not in English moved page R@1 / section P@1 de -0.001 / -0.007, es
# +0.007 / +0.004, fr -0.001 / -0.003, and 1.75 times it by at most 0.004; scaling the votes
# down when the nearest precedent is under 0.75 cosine (none under 0.55) lost page R@1 in
# every language (fr 0.912 -> 0.890).
PRECEDENT_WEIGHT = 0.04
# The pages this high in the ranking offer every section, not only those a ranking of
# CANDIDATES passages happened to reach: an examples question about a page whose examples
# section no ranking listed got its "How it works". By 5-fold cross-validation on the 1,755
# development questions, section P@1 de / en / es / fr 0.753 / 0.758 / 0.771 / 0.768 ->
# 0.785 / 0.758 / 0.789 / 0.809, pages unchanged.
WHOLE_PAGES = 5
# A page the question names comes first, except a source's or a thinker's: "How do we fill in
# the Midwest Academy's chart?" names the manual but asks for the strategy chart's steps, so
# such a page keeps only its rank. By 5-fold cross-validation on the 2,563 development
# questions, page R@1 cross-lingual / English 0.891 / 0.946 -> 0.902 / 0.949, section P@1
# de / en / es / fr 0.827 / 0.798 / 0.833 / 0.807 -> 0.833 / 0.802 / 0.842 / 0.819 (sources
# alone: 0.896 / 0.948, 0.827 / 0.802 / 0.836 / 0.816).
NAMED_BUT_NOT_FIRST = ("source", "thinker")


@dataclass(frozen=True, eq=False)
class Query:
    """A question ready to search: its text, the language it is written in, and its vector
    from each encoder the build was searched with."""

    text: str
    lang: str
    vectors: dict[str, np.ndarray]
    # How much the question asks for each kind of section (sections.IntentModel).
    intent: dict[str, float] = field(default_factory=dict)
    # How much it asks for what a methods wiki does not hold (scope.ScopeModel).
    off_scope: float = 0.0
    # How much more it resembles earlier unanswerable questions than answerable ones
    # (precedents.Precedents).
    like_unanswerable: float = 0.0
    # Which pages answered the earlier questions nearest this one, by share of their votes.
    page_votes: dict[str, float] = field(default_factory=dict)
    # The multilingual vector of its last sentence, when that is not the whole question: a
    # question told as a situation first asks in its last sentence. It feeds grounding and
    # intent, not the ranking: by 5-fold cross-validation on the 3,775 development questions,
    # fusing a ranking by it for non-English questions lost page R@3 (de / es 0.977 / 0.987 ->
    # 0.972 / 0.977) for +0.002-0.010 section P@1; blending it into the question's vector
    # (half weight) lost German R@1 0.935 -> 0.928; and a half share of its cosine in the
    # section fit changed section P@1 by -0.004 to 0.000. The situation names the page.
    ask_vector: np.ndarray | None = None

    @property
    def role(self) -> str:
        """The encoder whose similarities mean most for this question: the multilingual one
        for a question not in English (when there is one), else the English one."""
        if self.lang != "en" and MULTILINGUAL in self.vectors:
            return MULTILINGUAL
        return ENGLISH

    @property
    def vector(self) -> np.ndarray:
        return self.vectors[self.role]


@dataclass(frozen=True, eq=False)
class Hit:
    passage: StoredPassage
    page: Page
    dense: float  # cosine similarity of question and passage, with the query's encoder
    fused: float
    exact: bool = False  # the question names this page by title, alias or slug


def rankings(build: LoadedBuild, query: Query, mode: Mode, k: int = CANDIDATES) -> list[list[int]]:
    """The passage-id rankings to fuse for this question, as `fusion.PLANS` says; without
    the encoder a plan asks for (English-only search), the English plan is used."""
    plan = fusion.PLANS["en" if query.lang == "en" else "other"]
    if not any(name == "lexical" or name in query.vectors for name in plan):
        plan = fusion.PLANS["en"]
    found = []
    for name in plan:
        if name == "lexical":
            if mode != "dense":
                found.append(build.lexical(query.text, k))
        elif mode != "lexical" and name in query.vectors and name in build.indexes:
            ids = build.dense(name, query.vectors[name], k)
            if name == MULTILINGUAL and query.lang != "en":
                ids = _without_language_bias(build, query, ids)
            found.append(ids)
    return found


def rank(
    build: LoadedBuild,
    query: Query,
    *,
    mode: Mode = "hybrid",
    include_stubs: bool = False,
    k: int = CANDIDATES,
) -> list[Hit]:
    """Passages ranked for a question, best first, at most one per page section."""
    lists = rankings(build, query, mode, k)
    fused = fusion.reciprocal_rank(lists)
    exact = set(build.exact_pages(query.text)) if mode == "hybrid" else set()
    for slug in exact:  # a page the question names is a candidate even if no ranking found it
        for pid in build.by_slug.get(slug, []):
            fused.setdefault(pid, 0.0)
    cosine = build.matrices[query.role][list(fused)] @ query.vector if fused else np.zeros(0)
    scored = {pid: float(c) for pid, c in zip(fused, cosine, strict=True)}
    if fusion.FUSION == "weighted" and mode == "hybrid":
        fused = fusion.weighted(scored, build.lexical(query.text, k))
    hits = []
    for pid, score in fused.items():
        passage = build.passages[pid]
        page = build.pages[passage.slug]
        if page.status == "stub" and not include_stubs:
            continue
        is_exact = page.original_slug in exact
        hits.append(Hit(passage, page, scored[pid], score, is_exact))
    hits = _with_page_support(hits)
    if mode == "hybrid":
        hits = _with_page_votes(hits, query.page_votes)
    hits.sort(key=lambda h: (h.fused, h.dense), reverse=True)
    # The best passage of each page the question names comes first (but for the kinds in
    # NAMED_BUT_NOT_FIRST); the rest keep their rank.
    named: dict[str, Hit] = {}
    leaders = (h for h in hits if h.exact and h.page.kind not in NAMED_BUT_NOT_FIRST)
    for hit in sorted(leaders, key=lambda h: -h.dense):
        named.setdefault(hit.page.original_slug, hit)
    first = list(named.values())
    chosen = {id(hit) for hit in first}
    ordered = _one_per_section(first + [h for h in hits if id(h) not in chosen])
    if mode != "hybrid":
        return ordered
    return sections_by_fit(_with_whole_pages(build, query, ordered), query.intent)


def _without_language_bias(build: LoadedBuild, query: Query, ids: list[int]) -> list[int]:
    """The multilingual ranking re-sorted with SAME_LANGUAGE_BIAS taken off passages written
    in the question's language."""
    cosine = build.matrices[MULTILINGUAL][ids] @ query.vectors[MULTILINGUAL]
    adjusted = [
        float(c) - SAME_LANGUAGE_BIAS * (build.pages[build.passages[pid].slug].lang == query.lang)
        for pid, c in zip(ids, cosine, strict=True)
    ]
    return [pid for _, pid in sorted(zip(adjusted, ids, strict=True), key=lambda t: -t[0])]


def _with_page_support(hits: list[Hit]) -> list[Hit]:
    """Each hit's fused score plus PAGE_SUPPORT times its page's second-best passage."""
    scores: dict[str, list[float]] = {}
    for hit in hits:
        scores.setdefault(hit.passage.slug, []).append(hit.fused)
    second = {slug: sorted(s, reverse=True)[1] for slug, s in scores.items() if len(s) > 1}
    return [
        replace(h, fused=h.fused + PAGE_SUPPORT * second[h.passage.slug])
        if h.passage.slug in second
        else h
        for h in hits
    ]


def _with_page_votes(hits: list[Hit], votes: dict[str, float]) -> list[Hit]:
    """Each hit's fused score plus PRECEDENT_WEIGHT times its page's share of the votes."""
    if not votes:
        return hits
    return [
        replace(h, fused=h.fused + PRECEDENT_WEIGHT * votes[h.page.original_slug])
        if h.page.original_slug in votes
        else h
        for h in hits
    ]


def _with_whole_pages(build: LoadedBuild, query: Query, hits: list[Hit]) -> list[Hit]:
    """`hits` followed by the sections of its first WHOLE_PAGES pages that it lacks (each
    by its passage closest to the question), so that `sections_by_fit` can choose any of
    them; they come last, so no page moves up."""
    seen = {(h.passage.slug, h.passage.section) for h in hits}
    pages = list(dict.fromkeys(h.passage.slug for h in hits))[:WHOLE_PAGES]
    exact = {h.passage.slug for h in hits if h.exact}
    missing = [
        pid for slug in pages for pid in build.by_slug.get(slug, [])
        if (slug, build.passages[pid].section) not in seen
    ]  # fmt: skip
    if not missing:
        return hits
    cosine = build.matrices[query.role][missing] @ query.vector
    added = []
    for c, pid in sorted(zip(cosine, missing, strict=True), key=lambda t: -t[0]):
        passage = build.passages[pid]
        added.append(Hit(passage, build.pages[passage.slug], float(c), 0.0, passage.slug in exact))
    return hits + _one_per_section(added)


def _one_per_section(hits: list[Hit]) -> list[Hit]:
    seen: set[tuple[str, str]] = set()
    kept = []
    for hit in hits:
        key = (hit.passage.slug, hit.passage.section)
        if key not in seen:
            seen.add(key)
            kept.append(hit)
    return kept


def in_language(
    build: LoadedBuild, hit: Hit, lang: str, query: Query, *, by_fit: bool = True
) -> tuple[Hit, bool]:
    """The hit moved to the asker's language version of its page; True when none exists.
    `by_fit`: choose the translation's section as hybrid search does (cosine plus intent),
    else by cosine alone (the dense and lexical halves the benchmark compares)."""
    target, fell_back = build.version_for(hit.page.original_slug, lang)
    if target == hit.passage.slug:
        return hit, fell_back
    ids = build.by_slug.get(target, [])
    if not ids:
        return hit, fell_back
    # The translation's section that fits the question best, as `sections_by_fit` chooses.
    scores = build.matrices[query.role][ids] @ query.vector
    intent = query.intent if by_fit else {}
    fits = [
        section_fit(float(score), build.passages[pid].kind, intent)
        for pid, score in zip(ids, scores, strict=True)
    ]
    best = int(np.argmax(fits))
    passage = build.passages[ids[best]]
    moved = Hit(passage, build.pages[target], float(scores[best]), hit.fused, hit.exact)
    return moved, fell_back


def clean_question(text: str) -> str:
    """Collapse whitespace, drop what is not valid text (undecodable bytes arrive from a
    terminal as lone surrogates), and cut absurdly long questions at MAX_QUESTION_CHARS."""
    text = text.encode("utf-8", "replace").decode("utf-8")
    return re.sub(r"\s+", " ", text).strip()[:MAX_QUESTION_CHARS]


def rank_in_language(
    build: LoadedBuild, query: Query, lang: str, *, mode: Mode = "hybrid",
    include_stubs: bool = False,
) -> tuple[list[Hit], bool]:  # fmt: skip
    """`rank`, each hit moved to the asker's language version of its page; True when some
    page had none and English was used."""
    ranked = rank(build, query, mode=mode, include_stubs=include_stubs)
    hits, seen, fell_back = [], set(), False
    for hit in ranked:
        moved, fallback = in_language(build, hit, lang, query, by_fit=mode == "hybrid")
        key = (moved.passage.slug, moved.passage.section)
        if key in seen:
            continue
        seen.add(key)
        hits.append(moved)
        fell_back = fell_back or fallback
    return hits, fell_back and lang != "en"
