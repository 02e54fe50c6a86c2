"""Builds: written whole, switched atomically, reused, refused, pruned, recovered."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from retrieval import Question
from retrieval.index import vectors
from retrieval.index.builder import BuildError, build_index
from retrieval.index.manifest import CURRENT, IndexNotReady, current_build
from retrieval.service import KnowledgeBase
from tests.fakeembedder import FakeEmbedder


def test_build_writes_manifest_store_and_index_and_points_at_it(settings, embedder) -> None:
    report = build_index(settings, embedder)
    folder = settings.index_dir / report.build_id
    assert {p.name for p in folder.iterdir()} == {"index.faiss", "store.sqlite3", "manifest.json"}
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["encoders"]["english"]["model"] == embedder.name
    assert manifest["encoders"]["english"]["dimension"] == embedder.dimension
    assert manifest["pages"] == report.pages == 13
    assert manifest["passages"] == report.passages == vectors.load(folder / "index.faiss").ntotal
    assert (settings.index_dir / CURRENT).read_text().strip() == report.build_id


def test_incremental_build_embeds_only_changed_passages(settings, embedder) -> None:
    first = build_index(settings, embedder)
    assert first.reused == 0 and first.embedded == first.passages
    page = settings.content_dir / "rent-pledges.md"
    page.write_text(page.read_text().replace("three weeks", "a month"))
    second = build_index(settings, embedder)
    assert second.embedded == 1
    assert second.reused == second.passages - 1
    full = build_index(settings, embedder, full=True)
    assert full.embedded == full.passages


class ExplodingEmbedder(FakeEmbedder):
    def embed(self, texts):
        raise RuntimeError("killed halfway")


def test_failed_build_leaves_previous_build_answering(settings, embedder) -> None:
    good = build_index(settings, embedder)
    (settings.content_dir / "house-visits.md").write_text(
        (settings.content_dir / "house-visits.md").read_text() + "\n## New\nNew text here.\n"
    )
    with pytest.raises(RuntimeError):
        build_index(settings, ExplodingEmbedder())
    assert current_build(settings.index_dir)[1].build_id == good.build_id
    assert not list(settings.index_dir.glob(".tmp-*"))
    kb = KnowledgeBase.open(settings, embedder)
    assert kb.ask(Question("organiser knocks on a door")).answered


def test_crash_while_writing_keeps_pointer(settings, embedder, monkeypatch) -> None:
    good = build_index(settings, embedder)

    def crash(index, path):
        raise OSError("disk full")

    monkeypatch.setattr(vectors, "save", crash)
    with pytest.raises(OSError):
        build_index(settings, embedder, full=True)
    assert (settings.index_dir / CURRENT).read_text().strip() == good.build_id


def test_build_refuses_content_with_errors(settings, embedder) -> None:
    (settings.content_dir / "broken.md").write_text("---\ntitle: [oops\n---\n")
    with pytest.raises(BuildError, match=r"(?s)orgbot content lint.*broken.md:2:8: error \[yaml\]"):
        build_index(settings, embedder)
    assert current_build(settings.index_dir) is None


def test_open_without_build_says_how_to_make_one(settings, embedder) -> None:
    with pytest.raises(IndexNotReady, match="orgbot index build"):
        KnowledgeBase.open(settings, embedder)


def test_build_from_another_model_is_refused(settings, embedder) -> None:
    build_index(settings, embedder)
    with pytest.raises(IndexNotReady, match=r"fake-128.*index build --full"):
        KnowledgeBase.open(settings, FakeEmbedder(dimension=128))


@pytest.mark.parametrize("damage", ["truncate-index", "drop-manifest", "garble-store", "dangle"])
def test_damaged_build_gives_clear_error(settings, embedder, damage) -> None:
    report = build_index(settings, embedder)
    folder: Path = settings.index_dir / report.build_id
    if damage == "truncate-index":
        (folder / "index.faiss").write_bytes(b"\x00" * 10)
    elif damage == "drop-manifest":
        os.remove(folder / "manifest.json")
    elif damage == "garble-store":
        (folder / "store.sqlite3").write_bytes(b"not a database" * 100)
    else:
        (settings.index_dir / CURRENT).write_text("no-such-build\n")
    with pytest.raises(IndexNotReady, match="orgbot index build"):
        KnowledgeBase.open(settings, embedder)


def test_reload_switches_to_new_build(settings, embedder) -> None:
    build_index(settings, embedder)
    kb = KnowledgeBase.open(settings, embedder)
    assert kb.reload().switched is False
    (settings.content_dir / "picket-lines.md").write_text(
        "---\ntitle: Picket lines\nkind: method\nsummary: Standing outside a workplace during a"
        " strike to persuade others not to cross.\n---\n## How it works\nPickets stand at the"
        " gate and talk to every delivery driver.\n"
    )
    assert kb.status().changed_pages == ("picket-lines",)
    build_index(settings, embedder)
    assert kb.reload().switched is True
    assert kb.ask(Question("picket line delivery driver")).citations[0].slug == "picket-lines"
    assert kb.status().changed_pages == ()


def test_leftovers_of_a_killed_build_are_cleared_by_the_next(settings, embedder) -> None:
    build_index(settings, embedder)
    leftover = settings.index_dir / ".tmp-20260101T000000Z-dead-99999"
    leftover.mkdir()
    (leftover / "store.sqlite3").write_bytes(b"half written")
    report = build_index(settings, embedder)
    assert not leftover.exists()
    assert current_build(settings.index_dir)[1].build_id == report.build_id


def test_old_builds_are_pruned_but_never_the_current(settings, embedder) -> None:
    ids = []
    for n in range(5):
        (settings.content_dir / "rent-pledges.md").write_text(
            (settings.content_dir / "rent-pledges.md").read_text() + f"\nEdit {n}.\n"
        )
        ids.append(build_index(settings, embedder).build_id)
    kept = sorted(p.name for p in settings.index_dir.iterdir() if p.is_dir() and p.name[0] != ".")
    assert ids[-1] in kept and len(kept) == 3


def test_build_after_a_dangling_pointer_starts_fresh(settings, embedder) -> None:
    build_index(settings, embedder)
    (settings.index_dir / CURRENT).write_text("gone\n")
    report = build_index(settings, embedder)
    assert report.embedded == report.passages  # nothing to reuse, but no crash


def test_a_build_with_nothing_changed_keeps_the_current_build(settings, embedder) -> None:
    first = build_index(settings, embedder)
    again = build_index(settings, embedder)
    assert again.unchanged and again.build_id == first.build_id and again.embedded == 0
    folders = [p for p in settings.index_dir.iterdir() if p.is_dir() and p.name[0] != "."]
    assert [p.name for p in folders] == [first.build_id]
    assert build_index(settings, FakeEmbedder(dimension=128)).build_id != first.build_id
    assert not build_index(settings, embedder, full=True).unchanged


def test_a_damaged_build_is_replaced_whole_even_when_nothing_changed(settings, embedder) -> None:
    first = build_index(settings, embedder)
    faiss_file = settings.index_dir / first.build_id / "index.faiss"
    faiss_file.write_bytes(faiss_file.read_bytes()[:100])
    report = build_index(settings, embedder)
    assert not report.unchanged and report.build_id != first.build_id
    assert report.embedded == report.passages  # nothing reused from a damaged build
    assert report.replaced_damage and "index.faiss is cut short" in report.replaced_damage[0]
    assert KnowledgeBase.open(settings, embedder).ask(Question("rent pledge")).answered


def test_a_failed_write_is_an_os_error_that_says_what_to_do(settings, embedder, monkeypatch):
    good = build_index(settings, embedder)

    def no_space(index, path):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(vectors, "save", no_space)
    with pytest.raises(BuildError, match=r"No space left on device\); free some space") as error:
        build_index(settings, embedder, full=True)
    assert isinstance(error.value, OSError)
    assert f"The current build {good.build_id} keeps answering." in str(error.value)


def test_a_pointer_that_is_a_folder_is_refused_before_anything_is_embedded(
    settings, embedder
) -> None:
    (settings.index_dir / CURRENT).mkdir(parents=True)
    with pytest.raises(BuildError, match=r"is a folder.*rm -r"):
        build_index(settings, ExplodingEmbedder())
    with pytest.raises(IndexNotReady, match=r"is a folder.*rm -r"):
        current_build(settings.index_dir)
