"""A small wiki and a fake-embedder build of it, shared by the retrieval tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from retrieval.build import build_index
from retrieval.config import AnswerSettings, ModelSettings, Settings
from retrieval.embedder import FakeEmbedder
from retrieval.service import KnowledgeBase

PAGES = Path(__file__).parent / "pages"


def make_settings(tmp_path: Path, **answer: object) -> Settings:
    content = tmp_path / "content"
    if not content.exists():
        shutil.copytree(PAGES, content)
    return Settings(
        content_dir=content,
        var_dir=tmp_path / "var",
        model=ModelSettings(name="fake"),
        answer=AnswerSettings(threshold=0.3, see_also_threshold=0.2, **answer),  # type: ignore[arg-type]
        base_url="https://wiki.example.org/",
    )


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def kb(settings: Settings, embedder: FakeEmbedder) -> KnowledgeBase:
    build_index(settings, embedder)
    knowledge_base = KnowledgeBase.open(settings, embedder)
    yield knowledge_base
    knowledge_base.close()
