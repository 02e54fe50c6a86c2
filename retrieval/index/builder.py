"""Build the index: pages → passages → vectors, written as one build and switched in atomically.

A build is `var/index/<build-id>/` (index.faiss, store.sqlite3, manifest.json). It is written
under a temporary name, renamed into place, and only then named in the `CURRENT` pointer, so a
crash at any point leaves the previous build answering. Passages whose text is unchanged reuse
the vectors of the current build.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from retrieval.embedding import Embedder
from retrieval.errors import OrgbotError
from retrieval.index import store, vectors
from retrieval.index.manifest import (
    CURRENT,
    IndexNotReady,
    Manifest,
    compatible,
    current_build,
    write_pointer,
)
from retrieval.index.passages import Chunk, split_page
from retrieval.settings import RetrievalSettings
from retrieval.version import __version__
from retrieval.wiki.loader import LoadResult, load_pages, page_files
from retrieval.wiki.text import sentences

Progress = Callable[[int, int], None]
KEEP_BUILDS = 3


class BuildError(OrgbotError):
    """The build was refused or failed; the current build is untouched."""


@dataclass(frozen=True)
class BuildReport:
    build_id: str
    path: Path
    pages: int
    passages: int
    embedded: int
    reused: int
    seconds: float


def content_digest(folder: Path) -> tuple[str, dict[str, str]]:
    """A digest of the whole folder and the sha256 of each page file, by slug."""
    hashes = {}
    for path in page_files(folder):
        slug = path.relative_to(folder).as_posix().removesuffix(".md")
        hashes[slug] = hashlib.sha256(path.read_bytes()).hexdigest()
    digest = hashlib.sha256(json.dumps(sorted(hashes.items())).encode()).hexdigest()
    return digest, hashes


def build_index(
    settings: RetrievalSettings,
    embedder: Embedder,
    *,
    full: bool = False,
    progress: Progress | None = None,
) -> BuildReport:
    started = time.perf_counter()
    loaded = load_pages(settings.content_dir)
    _refuse_broken_content(loaded, settings.content_dir)
    digest, file_hashes = content_digest(settings.content_dir)
    titles = {page.slug: page.title for page in loaded.pages}
    chunks = [chunk for page in loaded.pages for chunk in split_page(page)]
    keys = [_text_key(embedder, chunk.embed_text(titles[chunk.slug])) for chunk in chunks]
    cache = {} if full else _reusable_vectors(settings.index_dir, embedder)
    missing = [i for i, key in enumerate(keys) if key not in cache]
    cache.update(
        _embed(embedder, [chunks[i] for i in missing], [keys[i] for i in missing], titles, progress)
    )

    # Sortable to the microsecond: pruning keeps the newest builds by name.
    now = dt.datetime.now(dt.UTC)
    build_id = now.strftime("%Y%m%dT%H%M%S") + f"{now.microsecond:06d}Z-" + digest[:8]
    root = settings.index_dir
    root.mkdir(parents=True, exist_ok=True)
    with _build_lock(root):
        tmp = root / f".tmp-{build_id}-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        try:
            count = _write_build(tmp, loaded, chunks, keys, cache, titles, file_hashes, settings)
            manifest = Manifest(
                build_id=build_id, created_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                model=embedder.name, weights_sha256=embedder.weights_sha256,
                dimension=embedder.dimension, content_digest=digest, pages=len(loaded.pages),
                passages=count, schema=store.SCHEMA_VERSION, version=__version__,
            )  # fmt: skip
            manifest.write(tmp)
            final = root / build_id
            shutil.rmtree(final, ignore_errors=True)
            os.replace(tmp, final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        write_pointer(root, build_id)
        _prune(root, keep=KEEP_BUILDS)
    return BuildReport(
        build_id, final, len(loaded.pages), count, len(missing), len(chunks) - len(missing),
        time.perf_counter() - started,
    )  # fmt: skip


def _refuse_broken_content(loaded: LoadResult, folder: Path) -> None:
    if loaded.errors:
        first = "\n".join(f"  {f}" for f in loaded.errors[:5])
        raise BuildError(
            f"{len(loaded.errors)} error(s) in {folder}; fix them first "
            f"(`orgbot content lint` lists them all). The current build keeps answering.\n{first}"
        )
    if not loaded.pages:
        raise BuildError(f"no pages found in {folder}; add Markdown pages or fix `content_dir`")


# Bump when sentence splitting changes: stored sentence vectors are then stale.
SPLIT_VERSION = 2


def _text_key(embedder: Embedder, text: str) -> str:
    return hashlib.sha256(f"{embedder.name}\0{SPLIT_VERSION}\0{text}".encode()).hexdigest()


Vectors = tuple[np.ndarray, tuple[str, ...], np.ndarray]


def _reusable_vectors(root: Path, embedder: Embedder) -> dict[str, Vectors]:
    """Vectors of the current build, by text key, when it was made with this model."""
    try:
        found = current_build(root)
    except IndexNotReady:  # a dangling or damaged current build only costs the reuse
        return {}
    if found is None or not compatible(found[1], embedder):
        return {}
    try:
        with contextlib.closing(store.connect(found[0] / "store.sqlite3", readonly=True)) as conn:
            rows = store.read_passages(conn, embedder.dimension)
    except Exception:  # a damaged old build only costs us the reuse
        return {}
    return {row.text_hash: (row.vector, row.sentences, row.sentence_vectors) for row in rows}


def _embed(
    embedder: Embedder, chunks: list[Chunk], keys: list[str], titles: dict[str, str],
    progress: Progress | None, batch: int = 64,
) -> dict[str, Vectors]:  # fmt: skip
    out: dict[str, Vectors] = {}
    for start in range(0, len(chunks), batch):
        part = chunks[start : start + batch]
        split = [tuple(sentences(chunk.text)) for chunk in part]
        flat = [s for group in split for s in group]
        vecs = embedder.embed([c.embed_text(titles[c.slug]) for c in part] + flat)
        sentence_vecs = vecs[len(part) :]
        offset = 0
        for i, _chunk in enumerate(part):
            n = len(split[i])
            out[keys[start + i]] = (vecs[i], split[i], sentence_vecs[offset : offset + n])
            offset += n
        if progress:
            progress(min(start + batch, len(chunks)), len(chunks))
    return out


def _write_build(
    folder: Path, loaded: LoadResult, chunks: list[Chunk], keys: list[str],
    cache: dict[str, Vectors], titles: dict[str, str], file_hashes: dict[str, str],
    settings: RetrievalSettings,
) -> int:  # fmt: skip
    conn = store.create(folder / "store.sqlite3")
    try:
        with conn:
            for page in loaded.pages:
                store.write_page(conn, page, file_hashes.get(page.slug, ""))
            rows = []
            for pid, (chunk, key) in enumerate(zip(chunks, keys, strict=True)):
                vector, sents, sentence_vectors = cache[key]
                rows.append(
                    store.StoredPassage(
                        pid,
                        chunk.slug,
                        chunk.section,
                        chunk.anchor,
                        chunk.position,
                        chunk.text,
                        key,
                        vector,
                        sents,
                        sentence_vectors,
                    )
                )
            store.write_passages(conn, rows, titles)
    finally:
        conn.close()
    matrix = np.stack([row.vector for row in rows]) if rows else np.zeros((0, 1), np.float32)
    index = vectors.make_index(matrix, settings.index.exact_search_limit)
    vectors.save(index, folder / "index.faiss")
    return len(rows)


@contextlib.contextmanager
def _build_lock(root: Path) -> Iterator[None]:
    with (root / ".lock").open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError("another build is running; wait for it to finish") from None
        yield


def _prune(root: Path, keep: int) -> None:
    """Delete old builds and leftovers of crashed ones, never the one in use."""
    current = (root / CURRENT).read_text().strip()
    builds = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    for old in builds[:-keep]:
        if old.name != current:
            shutil.rmtree(old, ignore_errors=True)
    for tmp in root.glob(".tmp-*"):
        if not tmp.name.endswith(f"-{os.getpid()}"):
            shutil.rmtree(tmp, ignore_errors=True)
