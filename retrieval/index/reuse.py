"""Passages turned into vectors: embedded now, or reused from the current build.

A passage's vectors are found again by a key of what was embedded and with which encoder,
so an edit to one page costs only that page's changed passages.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from pathlib import Path

from retrieval.embedding import Embedder
from retrieval.index import store
from retrieval.index.manifest import IndexNotReady, current_build
from retrieval.index.passages import Chunk
from retrieval.wiki.text import sentences

Progress = Callable[[int, int], None]

# Bump when sentence splitting changes: stored sentence vectors are then stale.
SPLIT_VERSION = 3


def text_key(embedder: Embedder, text: str) -> str:
    return hashlib.sha256(f"{embedder.name}\0{SPLIT_VERSION}\0{text}".encode()).hexdigest()


def reusable_vectors(root: Path) -> dict[str, store.Vectors]:
    """Every encoder's vectors in the current build, by text key (which names the encoder)."""
    try:
        found = current_build(root)
    except IndexNotReady:  # a dangling or damaged current build only costs the reuse
        return {}
    if found is None or found[1].schema != store.SCHEMA_VERSION:
        return {}
    dimensions = {role: facts.dimension for role, facts in found[1].encoders.items()}
    try:
        with contextlib.closing(store.connect(found[0] / "store.sqlite3", readonly=True)) as conn:
            rows = store.read_passages(conn, dimensions)
    except Exception:  # a damaged old build only costs us the reuse
        return {}
    return {v.text_key: v for row in rows for v in row.vectors.values()}


class Counter:
    """Progress over every encoder's passages: one bar for the whole build."""

    def __init__(self, total: int, progress: Progress | None) -> None:
        self.total, self.done, self.progress = total, 0, progress

    def add(self, count: int) -> None:
        self.done += count
        if self.progress:
            self.progress(self.done, self.total)


def embed_chunks(
    embedder: Embedder, chunks: list[Chunk], texts: list[str], counter: Counter,
    batch: int = 64,
) -> list[store.Vectors]:  # fmt: skip
    """Each chunk's vectors: its text with title and heading, and each of its sentences."""
    out: list[store.Vectors] = []
    for start in range(0, len(chunks), batch):
        part = chunks[start : start + batch]
        split = [sentences(chunk.text) for chunk in part]
        flat = [s for group in split for s in group]
        vecs = embedder.embed(texts[start : start + batch] + flat)
        offset = len(part)
        for i, group in enumerate(split):
            key = text_key(embedder, texts[start + i])
            out.append(store.Vectors(key, vecs[i], vecs[offset : offset + len(group)]))
            offset += len(group)
        counter.add(len(part))
    return out
