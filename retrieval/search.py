"""Hybrid search over one build: dense (faiss) and lexical (FTS5 bm25), fused by rank.

Everything here is CPU-bound and synchronous; the bot calls it from its worker thread.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from . import store, vectors
from .builds import IndexNotReady, Manifest, check_compatible
from .embedder import Embedder
from .language import content_terms, words
from .models import Page
from .store import StoredPassage

Mode = Literal["hybrid", "dense", "lexical"]
# Reciprocal-rank-fusion constant: 60 is the usual choice; bench/results/quality.md compares others.
RRF_K = 60
# "rrf" or "weighted" (cosine and lexical rank mixed by DENSE_WEIGHT). Both score within 0.01
# MRR on the question set (bench/results/quality.md); RRF needs no score calibration.
FUSION: Literal["rrf", "weighted"] = "rrf"
DENSE_WEIGHT = 0.7
CANDIDATES = 50


@dataclass(frozen=True, eq=False)
class Hit:
    passage: StoredPassage
    page: Page
    dense: float  # cosine similarity of question and passage
    fused: float
    exact: bool = False  # the question names this page by title, alias or slug


class LoadedBuild:
    """One build opened for reading: faiss index, passages and pages held in memory."""

    def __init__(self, folder: Path, manifest: Manifest, embedder: Embedder) -> None:
        check_compatible(manifest, embedder)
        self.folder = folder
        self.manifest = manifest
        try:
            self.index = vectors.load(folder / "index.faiss")
            vectors.single_query_threads()
            self._conn = store.connect(folder / "store.sqlite3", readonly=True)
            self.passages = store.read_passages(self._conn, manifest.dimension)
            pages = store.read_pages(self._conn)
        except (RuntimeError, sqlite3.Error, ValueError) as exc:
            raise IndexNotReady(
                f"build {manifest.build_id} is damaged ({exc}); "
                "run `orgbot index build --full` to make a new one"
            ) from None
        if self.index.ntotal != len(self.passages):
            raise IndexNotReady(
                f"build {manifest.build_id}: index.faiss has {self.index.ntotal} vectors but the "
                f"store has {len(self.passages)} passages; run `orgbot index build --full`"
            )
        self.pages = {slug: page for slug, (page, _) in pages.items()}
        self.file_hashes = {slug: file_hash for slug, (_, file_hash) in pages.items()}
        self.matrix = (
            np.stack([p.vector for p in self.passages])
            if self.passages
            else np.zeros((0, manifest.dimension), np.float32)
        )
        self.by_slug: dict[str, list[int]] = {}
        for passage in self.passages:
            self.by_slug.setdefault(passage.slug, []).append(passage.id)
        self.versions: dict[str, dict[str, str]] = {}
        for page in self.pages.values():
            self.versions.setdefault(page.original_slug, {})[page.lang] = page.slug
        self.names = _page_names(self.pages.values())
        self._lock = threading.Lock()

    def version_for(self, original: str, lang: str) -> tuple[str, bool]:
        """(slug to show, fell back to English) for a page and the asker's language.

        A stub translation does not replace a fuller original: the asker gets the English
        page, with the fallback said, rather than a page that may not be quoted.
        """
        versions = self.versions.get(original, {})
        wanted = versions.get(lang)
        if wanted and (
            self.pages[wanted].status != "stub" or self.pages[original].status == "stub"
        ):
            return wanted, False
        return versions.get("en") or original, True

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._conn.close()

    def lexical(self, question: str, k: int) -> list[int]:
        """Passage ids ranked by bm25 (title, heading and text weighted 4:2:1)."""
        terms = content_terms(question)[:32]
        if not terms:
            return []
        query = " OR ".join('"' + t.replace('"', "") + '"' for t in terms)
        with self._lock:
            rows = self._conn.execute(
                "SELECT rowid FROM passages_fts WHERE passages_fts MATCH ? "
                "ORDER BY bm25(passages_fts, 4.0, 2.0, 1.0) LIMIT ?",
                (query, k),
            ).fetchall()
        return [int(row[0]) for row in rows]

    def dense(self, query: np.ndarray, k: int) -> list[int]:
        _, ids = vectors.search(self.index, query.reshape(1, -1), k)
        return [int(i) for i in ids[0] if i >= 0]

    def exact_pages(self, question: str) -> list[str]:
        """Original slugs of pages the question names, longest name first."""
        text = " " + " ".join(words(question)) + " "
        found = []
        for name, slug in self.names:
            if f" {name} " in text and slug not in found:
                found.append(slug)
        return found


def _page_names(pages: object) -> list[tuple[str, str]]:
    names: set[tuple[str, str]] = set()
    for page in pages:  # type: ignore[attr-defined]
        assert isinstance(page, Page)
        candidates = [page.title, *page.aliases, page.slug.rsplit("/", 1)[-1].replace("-", " ")]
        for name in candidates:
            normal = " ".join(words(name))
            # Single short words ("strike") name too many things to count as a lookup.
            if len(normal) >= 6 and (" " in normal or len(normal) >= 8):
                names.add((normal, page.original_slug))
    return sorted(names, key=lambda pair: -len(pair[0]))


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
    fused: dict[int, float] = {}
    for ranking in (dense_ids, lexical_ids):
        for position, pid in enumerate(ranking):
            fused[pid] = fused.get(pid, 0.0) + 1.0 / (RRF_K + position + 1)
    exact = set(build.exact_pages(question)) if mode == "hybrid" else set()
    for slug in exact:  # a page the question names is a candidate even if no ranking found it
        for pid in build.by_slug.get(slug, []):
            fused.setdefault(pid, 0.0)
    cosine = build.matrix[list(fused)] @ query if fused else np.zeros(0)
    scored = {pid: float(c) for pid, c in zip(fused, cosine, strict=True)}
    if FUSION == "weighted" and mode == "hybrid":
        fused = _weighted(scored, lexical_ids)
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
    return _sections_by_fit(ordered, question) if mode == "hybrid" else ordered


def _sections_by_fit(hits: list[Hit], question: str) -> list[Hit]:
    """Keep each page's places in the ranking, but fill them with its sections in order of
    fit: cosine plus a nudge towards steps for "how do I" questions and away from source
    lists unless sources are asked for. Which pages come first does not change."""
    prior = section_prior(question)
    by_page: dict[str, list[Hit]] = {}
    for hit in hits:
        by_page.setdefault(hit.passage.slug, []).append(hit)
    for group in by_page.values():
        group.sort(key=lambda h: h.dense + prior(h.passage.anchor), reverse=True)
    return [by_page[hit.passage.slug].pop(0) for hit in hits]


_HOW_TO_QUESTION = re.compile(
    r"\b(how (do|to|can|should|would)|steps?|wie (kann|mache|führe|erstelle|fange)"
    r"|comment|cómo|como)\b",
    re.IGNORECASE,
)
_ABOUT_SOURCES = re.compile(r"sourc|evidence|verif|referen|quelle|fuente|book|read", re.I)
_HOW_TO_SECTIONS = re.compile(r"how-to|how-it-works|steps|so-funktioniert|comment|c[oó]mo")
_META_SECTIONS = re.compile(r"sources|quellen|fuentes|open-questions|offene|related")
SECTION_NUDGE = 0.1  # in cosine units: reorders close sections, never a poor one to the top


def section_prior(question: str) -> Callable[[str], float]:
    how_to = bool(_HOW_TO_QUESTION.search(question))
    about_sources = bool(_ABOUT_SOURCES.search(question))

    def prior(anchor: str) -> float:
        if how_to and _HOW_TO_SECTIONS.search(anchor):
            return SECTION_NUDGE
        if not about_sources and _META_SECTIONS.search(anchor):
            return -SECTION_NUDGE
        return 0.0

    return prior


def _weighted(cosine: dict[int, float], lexical_ids: list[int]) -> dict[int, float]:
    """The alternative to rank fusion: cosine plus a share for lexical rank (1 for first)."""
    lexical = {pid: 1 - position / len(lexical_ids) for position, pid in enumerate(lexical_ids)}
    return {
        pid: DENSE_WEIGHT * score + (1 - DENSE_WEIGHT) * lexical.get(pid, 0.0)
        for pid, score in cosine.items()
    }


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
