"""The fixture wiki copied into a temporary folder, and a fake-embedder build of it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from retrieval import AnswerSettings, KnowledgeBase, ModelSettings, RetrievalSettings, build_index
from tests.fakeembedder import FakeEmbedder
from tests.paths import WIKI


def make_settings(tmp_path: Path, **answer: object) -> RetrievalSettings:
    content = tmp_path / "content"
    if not content.exists():
        shutil.copytree(WIKI, content)
    return RetrievalSettings(
        content_dir=content,
        var_dir=tmp_path / "var",
        model=ModelSettings(name="fake"),
        answer=AnswerSettings(threshold=0.3, see_also_threshold=0.2, **answer),  # type: ignore[arg-type]
        base_url="https://wiki.example.org/",
    )


@pytest.fixture
def settings(tmp_path: Path) -> RetrievalSettings:
    return make_settings(tmp_path)


@pytest.fixture
def embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def kb(settings: RetrievalSettings, embedder: FakeEmbedder) -> Iterator[KnowledgeBase]:
    build_index(settings, embedder)
    knowledge_base = KnowledgeBase.open(settings, embedder)
    yield knowledge_base
    knowledge_base.close()
