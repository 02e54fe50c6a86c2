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

from retrieval.embedding import ENGLISH, MULTILINGUAL, Embedder, Encoders
from retrieval.errors import OrgbotError
from retrieval.index import store, vectors
from retrieval.index.kinds import section_kinds
from retrieval.index.manifest import (
    CURRENT,
    EncoderFacts,
    IndexNotReady,
    Manifest,
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
    encoders: Encoders | Embedder,
    *,
    full: bool = False,
    progress: Progress | None = None,
) -> BuildReport:
    """Build from `settings.content_dir` with each encoder, reusing the vectors of unchanged
    passages from the current build (unless `full`), and switch to the new build."""
    started = time.perf_counter()
    roles = dict(Encoders.of(encoders).roles())
    loaded = load_pages(settings.content_dir)
    _refuse_broken_content(loaded, settings.content_dir)
    digest, file_hashes = content_digest(settings.content_dir)
    titles = {page.slug: page.title for page in loaded.pages}
    chunks = [chunk for page in loaded.pages for chunk in split_page(page, titles)]
    texts = [chunk.embed_text(titles[chunk.slug]) for chunk in chunks]
    cache = {} if full else _reusable_vectors(settings.index_dir)
    keys = {role: [_text_key(e, text) for text in texts] for role, e in roles.items()}
    todo = {role: [i for i, key in enumerate(keys[role]) if key not in cache] for role in roles}
    embedded = sorted({i for missing in todo.values() for i in missing})
    counter = _Counter(sum(map(len, todo.values())), progress)
    for role, embedder in roles.items():
        missing = todo[role]
        fresh = _embed(embedder, [chunks[i] for i in missing], [texts[i] for i in missing], counter)
        cache.update(zip((keys[role][i] for i in missing), fresh, strict=True))

    # Sortable to the microsecond: pruning keeps the newest builds by name.
    now = dt.datetime.now(dt.UTC)
    build_id = now.strftime("%Y%m%dT%H%M%S") + f"{now.microsecond:06d}Z-" + digest[:8]
    root = settings.index_dir
    root.mkdir(parents=True, exist_ok=True)
    with build_lock(root):
        tmp = root / f".tmp-{build_id}-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        try:
            by_role = [
                {role: cache[keys[role][pid]] for role in roles} for pid in range(len(chunks))
            ]
            kinds = _kinds(chunks, loaded, by_role, roles)
            rows = [
                _stored(pid, chunk, kinds[pid], by_role[pid]) for pid, chunk in enumerate(chunks)
            ]
            _write_build(tmp, loaded, rows, titles, file_hashes, list(roles), settings)
            manifest = Manifest(
                build_id=build_id, created_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                encoders={role: EncoderFacts.of(e) for role, e in roles.items()},
                content_digest=digest, pages=len(loaded.pages), passages=len(rows),
                schema=store.SCHEMA_VERSION, version=__version__,
            )  # fmt: skip
            manifest.write(tmp)
            final = root / build_id
            shutil.rmtree(final, ignore_errors=True)
            os.replace(tmp, final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        write_pointer(root, build_id)
        prune(root)
    return BuildReport(
        build_id, final, len(loaded.pages), len(rows), len(embedded), len(rows) - len(embedded),
        time.perf_counter() - started,
    )  # fmt: skip


def _stored(
    pid: int, chunk: Chunk, kind: str, by_role: dict[str, store.Vectors]
) -> store.StoredPassage:
    return store.StoredPassage(
        pid, chunk.slug, chunk.section, chunk.anchor, kind, chunk.position, chunk.text,
        tuple(sentences(chunk.text)), by_role,
    )  # fmt: skip


def _kinds(
    chunks: list[Chunk], loaded: LoadResult, by_role: list[dict[str, store.Vectors]],
    roles: dict[str, Embedder],
) -> list[str]:  # fmt: skip
    """Each passage's section kind, read by the multilingual encoder when there is one."""
    role = MULTILINGUAL if MULTILINGUAL in roles else ENGLISH
    pages = loaded.by_slug()
    described = [(c.slug, c.section, pages[c.slug].translation_of) for c in chunks]
    matrix = (
        np.stack([vectors[role].vector for vectors in by_role])
        if chunks else np.zeros((0, 1), np.float32)
    )  # fmt: skip
    return section_kinds(described, matrix, roles[role])


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
SPLIT_VERSION = 3


def _text_key(embedder: Embedder, text: str) -> str:
    return hashlib.sha256(f"{embedder.name}\0{SPLIT_VERSION}\0{text}".encode()).hexdigest()


def _reusable_vectors(root: Path) -> dict[str, store.Vectors]:
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


class _Counter:
    """Progress over every encoder's passages: one bar for the whole build."""

    def __init__(self, total: int, progress: Progress | None) -> None:
        self.total, self.done, self.progress = total, 0, progress

    def add(self, count: int) -> None:
        self.done += count
        if self.progress:
            self.progress(self.done, self.total)


def _embed(
    embedder: Embedder, chunks: list[Chunk], texts: list[str], counter: _Counter,
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
            key = _text_key(embedder, texts[start + i])
            out.append(store.Vectors(key, vecs[i], vecs[offset : offset + len(group)]))
            offset += len(group)
        counter.add(len(part))
    return out


def _write_build(
    folder: Path, loaded: LoadResult, rows: list[store.StoredPassage], titles: dict[str, str],
    file_hashes: dict[str, str], roles: list[str], settings: RetrievalSettings,
) -> None:  # fmt: skip
    conn = store.create(folder / "store.sqlite3")
    try:
        with conn:
            for page in loaded.pages:
                store.write_page(conn, page, file_hashes.get(page.slug, ""))
            store.write_passages(conn, rows, titles)
    finally:
        conn.close()
    for role in roles:
        matrix = (
            np.stack([row.vectors[role].vector for row in rows])
            if rows else np.zeros((0, 1), np.float32)
        )  # fmt: skip
        index = vectors.make_index(matrix, settings.index.exact_search_limit)
        vectors.save(index, folder / vectors.index_file(role))


@contextlib.contextmanager
def build_lock(root: Path) -> Iterator[None]:
    with (root / ".lock").open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError("another build is running; wait for it to finish") from None
        yield


def prune(root: Path, keep: int = KEEP_BUILDS) -> None:
    """Delete old builds and leftovers of crashed ones, never the one in use."""
    current = (root / CURRENT).read_text().strip()
    builds = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    for old in builds[:-keep]:
        if old.name != current:
            shutil.rmtree(old, ignore_errors=True)
    for tmp in [*root.glob(".tmp-*"), *root.glob(".fetch-*")]:
        if not tmp.name.endswith(f"-{os.getpid()}"):
            shutil.rmtree(tmp, ignore_errors=True)
