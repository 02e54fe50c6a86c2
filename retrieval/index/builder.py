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
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from retrieval.embedding import ENGLISH, MULTILINGUAL, Embedder, Encoders
from retrieval.errors import OrgbotError
from retrieval.index import store, vectors
from retrieval.index.health import build_problems, write_failure
from retrieval.index.kinds import section_kinds
from retrieval.index.manifest import (
    CURRENT,
    EncoderFacts,
    IndexNotReady,
    Manifest,
    current_build,
    pointer_is_a_folder,
    write_pointer,
)
from retrieval.index.passages import Chunk, split_page
from retrieval.index.reuse import Counter, Progress, embed_chunks, reusable_vectors, text_key
from retrieval.settings import RetrievalSettings
from retrieval.version import __version__
from retrieval.wiki.loader import LoadResult, load_pages, page_files
from retrieval.wiki.text import sentences

KEEP_BUILDS = 3


class BuildError(OrgbotError):
    """The build was refused or failed; the current build is untouched."""


class BuildWriteError(BuildError, OSError):
    """A write failed while building (a full disk, a read-only `var/`): nothing was switched."""


@dataclass(frozen=True)
class BuildReport:
    build_id: str
    path: Path
    pages: int
    passages: int
    embedded: int
    reused: int
    seconds: float
    # Nothing changed since the current build, which was kept as it is.
    unchanged: bool = False
    # What was wrong with the build this one replaced, when it was damaged.
    replaced_damage: tuple[str, ...] = ()


def digest_of(hashes: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(sorted(hashes.items())).encode()).hexdigest()


def content_digest(folder: Path) -> tuple[str, dict[str, str]]:
    """A digest of the whole folder and the sha256 of each page file, by slug.

    A file that goes while it is read counts as removed: this never raises for a folder
    that changes under it.
    """
    hashes = {}
    for path in page_files(folder):
        slug = path.relative_to(folder).as_posix().removesuffix(".md")
        try:
            hashes[slug] = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            continue
    return digest_of(hashes), hashes


def build_index(
    settings: RetrievalSettings,
    encoders: Encoders | Embedder,
    *,
    full: bool = False,
    progress: Progress | None = None,
) -> BuildReport:
    """Build from `settings.content_dir` with each encoder, reusing the vectors of unchanged
    passages from the current build (unless `full`), and switch to the new build.

    When nothing changed since a whole current build (same pages, encoders and orgbot),
    that build is kept and reported `unchanged`; a damaged one is always replaced, whole.
    """
    started = time.perf_counter()
    root = settings.index_dir
    if (root / CURRENT).is_dir():
        raise BuildError(pointer_is_a_folder(root / CURRENT))
    roles = dict(Encoders.of(encoders).roles())
    loaded = _content(settings.content_dir)
    file_hashes = dict(loaded.file_hashes)
    digest = digest_of(file_hashes)
    in_use = _current(root)
    current_id = in_use[1].build_id if in_use else None
    damage = tuple(in_use[2]) if in_use else ()
    if in_use and not full and not damage and _same_build(in_use[1], digest, roles):
        # Tidy up leftovers while here; a read-only folder or a build under way only means
        # there is nothing to tidy now, and the build in use is still the right one.
        with contextlib.suppress(OSError, BuildError), build_lock(root):
            prune(root)
        kept = in_use[1]
        return BuildReport(
            kept.build_id, in_use[0], kept.pages, kept.passages, 0, kept.passages,
            time.perf_counter() - started, unchanged=True,
        )  # fmt: skip
    titles = {page.slug: page.title for page in loaded.pages}
    chunks = [chunk for page in loaded.pages for chunk in split_page(page, titles)]
    texts = [chunk.embed_text(titles[chunk.slug]) for chunk in chunks]
    # The vectors of a damaged build may be damaged too: then everything is embedded again.
    cache = {} if full or damage else reusable_vectors(root)
    keys = {role: [text_key(e, text) for text in texts] for role, e in roles.items()}
    todo = {role: [i for i, key in enumerate(keys[role]) if key not in cache] for role in roles}
    embedded = sorted({i for missing in todo.values() for i in missing})
    counter = Counter(sum(map(len, todo.values())), progress)
    for role, embedder in roles.items():
        missing = todo[role]
        fresh = embed_chunks(embedder, [chunks[i] for i in missing], [texts[i] for i in missing],
                             counter)  # fmt: skip
        cache.update(zip((keys[role][i] for i in missing), fresh, strict=True))
    by_role = [{role: cache[keys[role][pid]] for role in roles} for pid in range(len(chunks))]
    kinds = _kinds(chunks, loaded, by_role, roles)
    rows = [_stored(pid, chunk, kinds[pid], by_role[pid]) for pid, chunk in enumerate(chunks)]

    # Sortable to the microsecond: pruning keeps the newest builds by name.
    now = dt.datetime.now(dt.UTC)
    build_id = now.strftime("%Y%m%dT%H%M%S") + f"{now.microsecond:06d}Z-" + digest[:8]
    manifest = Manifest(
        build_id=build_id, created_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        encoders={role: EncoderFacts.of(e) for role, e in roles.items()},
        content_digest=digest, pages=len(loaded.pages), passages=len(rows),
        schema=store.SCHEMA_VERSION, version=__version__,
    )  # fmt: skip
    with _writing(root, current_id):
        root.mkdir(parents=True, exist_ok=True)
        with build_lock(root):
            tmp = root / f".tmp-{build_id}-{os.getpid()}"
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir()
            try:
                _write_build(tmp, loaded, rows, titles, file_hashes, list(roles), settings)
                manifest.write(tmp)
                shutil.rmtree(root / build_id, ignore_errors=True)
                os.replace(tmp, root / build_id)
            except BaseException:
                shutil.rmtree(tmp, ignore_errors=True)
                raise
            write_pointer(root, build_id)
            prune(root)
    return BuildReport(
        build_id, root / build_id, len(loaded.pages), len(rows), len(embedded),
        len(rows) - len(embedded), time.perf_counter() - started, replaced_damage=damage,
    )  # fmt: skip


def _content(folder: Path) -> LoadResult:
    """Every page of the folder, or BuildError when there is an error or the folder went."""
    loaded = load_pages(folder)
    if not folder.is_dir() and not any(f.rule == "no-folder" for f in loaded.findings):
        raise BuildError(
            f"the content folder {folder} disappeared while the build was reading it, so "
            "nothing was built and the current build keeps answering; put it back (or fix "
            "`content_dir`), then run `orgbot index build` again"
        )
    if loaded.errors:
        first = "\n".join(f"  {f}" for f in loaded.errors[:5])
        raise BuildError(
            f"{len(loaded.errors)} error(s) in {folder}; fix them first "
            f"(`orgbot content lint` lists them all). The current build keeps answering.\n{first}"
        )
    if not loaded.pages:
        raise BuildError(f"no pages found in {folder}; add Markdown pages or fix `content_dir`")
    return loaded


def _current(root: Path) -> tuple[Path, Manifest, list[str]] | None:
    """The build in use with what is wrong with it, or None when there is none to keep."""
    try:
        found = current_build(root)
    except IndexNotReady:  # a dangling or damaged pointer or manifest: nothing to keep
        return None
    return (*found, build_problems(*found)) if found else None


def _same_build(manifest: Manifest, digest: str, roles: dict[str, Embedder]) -> bool:
    """Whether building now would make the same build again."""
    return (
        manifest.content_digest == digest
        and manifest.schema == store.SCHEMA_VERSION
        and manifest.version == __version__
        and manifest.encoders == {role: EncoderFacts.of(e) for role, e in roles.items()}
    )


@contextlib.contextmanager
def _writing(root: Path, current: str | None) -> Iterator[None]:
    """Turn a failed write (a full disk, a read-only folder) into one BuildWriteError."""
    try:
        yield
    except BuildError:
        raise
    except (OSError, sqlite3.Error) as exc:
        raise BuildWriteError(write_failure(exc, root, current)) from None


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
