"""The bot's stack for tests, shared by the handler tests (`tests/bot`) and the end-to-end
tests (`tests/e2e`): the fixture wiki indexed with the fake embedder, the knowledge base on
its worker thread, a real state database, and the settings that tie them together.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from bot.settings import BotSettings, DiscordSettings, Settings
from bot.state import SqliteState, StateDB
from retrieval import (
    AnswerSettings,
    AsyncKnowledgeBase,
    KnowledgeBase,
    ModelSettings,
    RetrievalSettings,
    build_index,
)
from tests.fakeembedder import FakeEmbedder
from tests.paths import WIKI

BASE_URL = "https://wiki.example.org/"


def make_settings(var_dir: Path, **discord_options: Any) -> Settings:
    retrieval = RetrievalSettings(
        content_dir=WIKI,
        var_dir=var_dir,
        base_url=BASE_URL,
        model=ModelSettings(name="fake", sha256=""),
        # The fake embedder's similarities are lower than a real model's.
        answer=AnswerSettings(threshold=0.2, see_also_threshold=0.05, max_citations=2),
    )
    bot = BotSettings(
        var_dir=var_dir,
        discord=DiscordSettings(
            **({"cooldown_seconds": 60, "cooldown_burst": 5} | discord_options)
        ),
        hash_key=SecretStr("test-hash-key"),
    )
    return Settings(retrieval=retrieval, bot=bot)


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    var_dir = tmp_path_factory.mktemp("var")
    build_index(make_settings(var_dir).retrieval, FakeEmbedder())
    return var_dir


@pytest.fixture
def settings(index_dir: Path) -> Settings:
    return make_settings(index_dir)


@pytest.fixture
async def worker(settings: Settings) -> AsyncIterator[AsyncKnowledgeBase]:
    kb = KnowledgeBase.open(settings.retrieval, FakeEmbedder())
    worker = AsyncKnowledgeBase(kb)
    yield worker
    worker.close()
    kb.close()


@pytest.fixture
async def state(tmp_path: Path) -> AsyncIterator[StateDB]:
    db = await SqliteState.open(tmp_path / "state.sqlite3", b"test-hash-key")
    yield db
    await db.close()
