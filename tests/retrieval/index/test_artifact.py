"""Published builds: packed whole, and refused whole when anything is wrong with them.

Each refusal must leave the index folder as it was and the build in use answering.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest

from retrieval import (
    IndexNotReady,
    KnowledgeBase,
    Question,
    RetrievalSettings,
    build_index,
    current_build,
    install_build,
)
from retrieval.index.artifact import BUILD_FILES, pack, unpack
from tests.fakeembedder import FakeEmbedder
from tests.retrieval.conftest import make_settings


def tar_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def files_of(artifact: bytes) -> dict[str, bytes]:
    with tarfile.open(fileobj=io.BytesIO(artifact)) as archive:
        return {m.name: archive.extractfile(m).read() for m in archive}  # type: ignore[union-attr]


@pytest.fixture
def published(tmp_path: Path, embedder: FakeEmbedder) -> tuple[bytes, str]:
    """A build made on another host, as that host publishes it."""
    other = make_settings(tmp_path / "other")
    (other.content_dir / "picket-lines.md").write_text(
        "---\ntitle: Picket lines\nkind: method\nsummary: Workers at the gate during a strike.\n"
        "status: emerging\ntier: reference\nsources:\n  - {id: field-notes, grounding: secondary}"
        "\n---\n\n## How it works\n\nStrikers stand in a line at the gate during a strike.\n",
        encoding="utf-8",
    )
    build_index(other, embedder)
    found = current_build(other.index_dir)
    assert found is not None
    data, digest, _ = pack(found[0])
    return data, digest


@pytest.fixture
def here(tmp_path: Path, embedder: FakeEmbedder) -> RetrievalSettings:
    """This host, answering from a build of its own."""
    settings = make_settings(tmp_path / "here")
    build_index(settings, embedder)
    return settings


def index_folder(settings: RetrievalSettings) -> dict[str, float]:
    return {p.name: p.stat().st_mtime for p in settings.index_dir.iterdir()}


def test_a_packed_build_holds_exactly_its_files(published: tuple[bytes, str]) -> None:
    data, digest = published
    names = set(files_of(data))
    assert digest == sha(data)
    assert {"manifest.json", "store.sqlite3", "index.faiss"} <= names <= set(BUILD_FILES)


def test_a_good_artifact_installs_and_is_answered_from(
    here: RetrievalSettings, embedder: FakeEmbedder, published: tuple[bytes, str]
) -> None:
    kb = KnowledgeBase.open(here, embedder)
    try:
        before = kb.build.manifest.build_id
        reload = kb.install(*published)
        assert reload.switched and reload.build_id != before
        answer = kb.ask(Question("picket line at the gate during a strike"))
        assert answer.citations[0].title == "Picket lines"
        assert not [p for p in here.index_dir.iterdir() if p.name.startswith(".fetch-")]
    finally:
        kb.close()


def damaged(data: bytes) -> list[tuple[str, bytes, str]]:
    """(what is wrong, artifact, sha256 announced with it), each one to be refused."""
    files = files_of(data)
    flipped = bytearray(data)
    flipped[len(flipped) // 2] ^= 0xFF
    half = data[: len(data) // 2]
    garbage_store = tar_of(files | {"store.sqlite3": b"not a database" * 100})
    garbage_index = tar_of(files | {"index.faiss": b"\x00" * 64})
    no_store = tar_of({k: v for k, v in files.items() if k != "store.sqlite3"})
    escaping = tar_of(files | {"../../evil.sh": b"rm -rf /"})
    manifest = json.loads(files["manifest.json"]) | {"build_id": "../up"}
    bad_id = tar_of(files | {"manifest.json": json.dumps(manifest).encode()})
    other_model = json.loads(files["manifest.json"])
    for role in other_model["encoders"].values():
        role["model"] = "some-other-model"
    foreign = tar_of(files | {"manifest.json": json.dumps(other_model).encode()})
    return [
        ("a flipped byte", bytes(flipped), sha(data)),
        ("cut off, announced with the whole's hash", half, sha(data)),
        ("cut off, hashed as cut", half, sha(half)),
        ("a store that is not a database", garbage_store, sha(garbage_store)),
        ("a vector index that is not one", garbage_index, sha(garbage_index)),
        ("no store", no_store, sha(no_store)),
        ("a path outside the build", escaping, sha(escaping)),
        ("a build id that is a path", bad_id, sha(bad_id)),
        ("made with another model", foreign, sha(foreign)),
    ]


def test_a_damaged_artifact_is_refused_and_the_old_build_answers(
    here: RetrievalSettings, embedder: FakeEmbedder, published: tuple[bytes, str]
) -> None:
    kb = KnowledgeBase.open(here, embedder)
    serving, folder = kb.build.manifest.build_id, index_folder(here)
    try:
        for what, data, digest in damaged(published[0]):
            with pytest.raises(IndexNotReady) as refused:
                kb.install(data, digest)
            assert "Traceback" not in str(refused.value), what
            assert kb.build.manifest.build_id == serving, what
            assert index_folder(here) == folder, what  # nothing left behind, nothing moved
            assert kb.ask(Question("how do I run a one-to-one conversation")).citations, what
    finally:
        kb.close()
    assert not (here.var_dir.parent / "evil.sh").exists()


def test_a_corrupt_artifact_says_what_to_do(tmp_path: Path, published: tuple[bytes, str]) -> None:
    data, digest = published
    with pytest.raises(IndexNotReady, match=r"corrupt .* `orgbot index publish`"):
        unpack(data + b"x", digest, tmp_path)


def test_install_build_refuses_before_the_pointer_moves(
    here: RetrievalSettings, embedder: FakeEmbedder, published: tuple[bytes, str]
) -> None:
    pointer = (here.index_dir / "CURRENT").read_text()
    data, _ = published
    with pytest.raises(IndexNotReady):
        install_build(here, embedder, data, "0" * 64)
    assert (here.index_dir / "CURRENT").read_text() == pointer
