"""Fixtures for the bot's tests: a small index built from `pages/` with the fake embedder,
a real state database, and an `OrgBot` whose transport to Discord is recorded.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import discord
import pytest
from discord.webhook.async_ import AsyncWebhookAdapter
from pydantic import SecretStr

from bot.client import OrgBot
from bot.state import StateDB
from retrieval.build import build_index
from retrieval.config import AnswerSettings, DiscordSettings, ModelSettings, Settings
from retrieval.embedder import FakeEmbedder
from retrieval.service import KnowledgeBase
from retrieval.worker import AsyncKnowledgeBase
from tests.fakediscord.fixtures import fake_bot  # noqa: F401  (the end-to-end fixture)

from .payloads import APP_ID, BOT_ID, user
from .recorder import Recorder

PAGES = Path(__file__).parent / "pages"
BASE_URL = "https://wiki.example.org/"


def make_settings(var_dir: Path, **discord_options: Any) -> Settings:
    return Settings(
        content_dir=PAGES,
        var_dir=var_dir,
        base_url=BASE_URL,
        model=ModelSettings(name="fake", sha256=""),
        # The fake embedder's similarities are lower than a real model's.
        answer=AnswerSettings(threshold=0.2, see_also_threshold=0.05, max_citations=2),
        discord=DiscordSettings(
            **({"cooldown_seconds": 60, "cooldown_burst": 5} | discord_options)
        ),
        hash_key=SecretStr("test-hash-key"),
    )


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    var_dir = tmp_path_factory.mktemp("var")
    build_index(make_settings(var_dir), FakeEmbedder())
    return var_dir


@pytest.fixture
def settings(index_dir: Path) -> Settings:
    return make_settings(index_dir)


@pytest.fixture
async def worker(settings: Settings) -> AsyncIterator[AsyncKnowledgeBase]:
    kb = KnowledgeBase.open(settings, FakeEmbedder())
    worker = AsyncKnowledgeBase(kb)
    yield worker
    worker.close()
    kb.close()


@pytest.fixture
async def state(tmp_path: Path) -> AsyncIterator[StateDB]:
    db = await StateDB.open(tmp_path / "state.sqlite3", b"test-hash-key")
    yield db
    await db.close()


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    recorder = Recorder()
    monkeypatch.setattr(
        AsyncWebhookAdapter,
        "request",
        lambda self, route, session, **kw: recorder.webhook_request(route, session, **kw),
    )
    return recorder


@pytest.fixture
async def bot(
    worker: AsyncKnowledgeBase, state: StateDB, settings: Settings, recorder: Recorder
) -> AsyncIterator[OrgBot]:
    bot = OrgBot(worker, state, settings)
    async with bot:
        bot.http.request = recorder.http_request  # type: ignore[method-assign]
        connection = bot._connection
        connection.user = discord.ClientUser(
            state=connection, data=user(BOT_ID, "orgbot", bot=True)
        )
        connection.application_id = APP_ID
        await bot.setup_hook()
        yield bot


async def settle(within: float = 5.0) -> None:
    """Wait until every task discord.py started for an event or interaction has finished."""
    prefixes = ("CommandTree-invoker", "discord-ui-", "discord.py:")
    deadline = asyncio.get_running_loop().time() + within
    while True:
        pending = [
            task
            for task in asyncio.all_tasks()
            if not task.done() and task.get_name().startswith(prefixes)
        ]
        if not pending:
            return
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(f"still running: {[t.get_name() for t in pending]}")
        await asyncio.sleep(0.01)


@pytest.fixture
def deliver(bot: OrgBot) -> Callable[[dict[str, Any]], Any]:
    """Feed an INTERACTION_CREATE payload through discord.py's own parser, then wait."""

    async def deliver(payload: dict[str, Any]) -> None:
        bot._connection.parse_interaction_create(payload)  # type: ignore[arg-type]
        await settle()

    return deliver
