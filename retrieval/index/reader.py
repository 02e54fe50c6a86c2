"""One build opened for reading: its faiss indexes, passages and pages held in memory.

Searching needs each encoder's vectors (dense), the FTS5 table (lexical) and the page names a
question may use; all are read here once, when a build is opened or reloaded.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from retrieval.embedding import Embedder, Encoders
from retrieval.errors import first_line
from retrieval.index import store, vectors
from retrieval.index.health import damaged
from retrieval.index.manifest import IndexNotReady, Manifest, check_compatible
from retrieval.models import Page
from retrieval.wiki.language import content_terms, words


class LoadedBuild:
    """One build opened for reading, with the vectors of the encoders in use."""

    def __init__(self, folder: Path, manifest: Manifest, encoders: Encoders | Embedder) -> None:
        roles = dict(Encoders.of(encoders).roles())
        check_compatible(manifest, roles)
        self.folder = folder
        self.manifest = manifest
        self.roles = tuple(roles)
        dimensions = {role: manifest.encoders[role].dimension for role in roles}
        try:
            self.indexes = {role: vectors.load(folder / vectors.index_file(role)) for role in roles}
            vectors.single_query_threads()
            self._conn = store.connect(folder / "store.sqlite3", readonly=True)
            self.passages = store.read_passages(self._conn, dimensions)
            pages = store.read_pages(self._conn)
        except (RuntimeError, sqlite3.Error, ValueError, KeyError) as exc:
            raise IndexNotReady(damaged(manifest.build_id, [first_line(exc)])) from None
        for role, index in self.indexes.items():
            if index.ntotal != len(self.passages):
                raise IndexNotReady(
                    f"build {manifest.build_id}: {vectors.index_file(role)} has {index.ntotal} "
                    f"vectors but the store has {len(self.passages)} passages; "
                    "run `orgbot index build --full`"
                )
        self.pages = {slug: page for slug, (page, _) in pages.items()}
        self.file_hashes = {slug: file_hash for slug, (_, file_hash) in pages.items()}
        self.matrices = {
            role: np.stack([p.vectors[role].vector for p in self.passages])
            if self.passages
            else np.zeros((0, dimensions[role]), np.float32)
            for role in roles
        }
        self.by_slug: dict[str, list[int]] = {}
        for passage in self.passages:
            self.by_slug.setdefault(passage.slug, []).append(passage.id)
        self.versions: dict[str, dict[str, str]] = {}
        for page in self.pages.values():
            self.versions.setdefault(page.original_slug, {})[page.lang] = page.slug
        self.names = _page_names(self.pages.values())
        # How many passages use each word: a question word no passage uses is one the wiki
        # has nothing on (retrieval.search.grounding).
        self.document_frequency: Counter[str] = Counter()
        for passage in self.passages:
            title = self.pages[passage.slug].title
            self.document_frequency.update(set(words(f"{title} {passage.section} {passage.text}")))
        self._page_texts: dict[str, str] = {}
        self._stems: dict[int, frozenset[str]] = {}
        self._lock = threading.Lock()

    def stems(self, passage_ids: Iterable[int]) -> set[str]:
        """The five-letter stems of the words of these passages."""
        found: set[str] = set()
        for pid in passage_ids:
            stems = self._stems.get(pid)
            if stems is None:
                stems = self._stems[pid] = frozenset(w[:5] for w in words(self.passages[pid].text))
            found |= stems
        return found

    def page_text(self, slug: str) -> str:
        """A page's title and passages in lower case, for checking that a name occurs in it."""
        text = self._page_texts.get(slug)
        if text is None:
            parts = [self.pages[slug].title, *(self.passages[i].text for i in self.by_slug[slug])]
            text = self._page_texts[slug] = " ".join(parts).casefold()
        return text

    def section_kinds(self, slug: str) -> dict[str, str]:
        """Each section of a page, by anchor, and its kind (`index.kinds`)."""
        return {self.passages[i].anchor: self.passages[i].kind for i in self.by_slug.get(slug, [])}

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
        try:
            with self._lock:
                rows = self._conn.execute(
                    "SELECT rowid FROM passages_fts WHERE passages_fts MATCH ? "
                    "ORDER BY bm25(passages_fts, 4.0, 2.0, 1.0) LIMIT ?",
                    (query, k),
                ).fetchall()
        except sqlite3.DatabaseError as exc:
            # A damaged page of the store is found only by the query that reads it.
            raise IndexNotReady(
                damaged(self.manifest.build_id, [f"store.sqlite3: {first_line(exc)}"])
            ) from None
        return [int(row[0]) for row in rows]

    def dense(self, role: str, query: np.ndarray, k: int) -> list[int]:
        _, ids = vectors.search(self.indexes[role], query.reshape(1, -1), k)
        return [int(i) for i in ids[0] if i >= 0]

    def exact_pages(self, question: str) -> list[str]:
        """Original slugs of pages the question names (`pages_named`)."""
        return pages_named(self.names, question)


def pages_named(names: list[tuple[str, str]], question: str) -> list[str]:
    """Original slugs of pages `question` names, longest name first (`names` as
    `_page_names` makes them). Accents are not needed ("metodos" names "métodos"), and a name
    inside a longer one the question uses does not count: "the Midwest Academy strategy
    chart" names the chart, not the Academy."""
    text = " " + " ".join(words(_unaccented(question))) + " "
    found: list[str] = []
    claimed: list[tuple[int, int]] = []  # where the longer names already found are
    for name, slug in names:
        start = text.find(f" {name} ")
        while start >= 0:
            span = (start, start + len(name) + 2)
            if not any(a <= span[0] and span[1] <= b for a, b in claimed):
                claimed.append(span)
                if slug not in found:
                    found.append(slug)
            start = text.find(f" {name} ", start + 1)
    return found


def _page_names(pages: Iterable[Page]) -> list[tuple[str, str]]:
    names: set[tuple[str, str]] = set()
    for page in pages:
        candidates = [page.title, *page.aliases, page.slug.rsplit("/", 1)[-1].replace("-", " ")]
        for name in candidates:
            normal = " ".join(words(_unaccented(name)))
            # Single short words ("strike") name too many things to count as a lookup.
            if len(normal) >= 6 and (" " in normal or len(normal) >= 8):
                names.add((normal, page.original_slug))
    return sorted(names, key=lambda pair: -len(pair[0]))


def _unaccented(text: str) -> str:
    """`text` without its accents: "Méthodes" and "Methodes" are the same name to a typist."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
