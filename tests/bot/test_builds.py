"""BuildSync: two hosts with their own index folders, one PostgreSQL server between them.

A build published by one host reaches the other through LISTEN/NOTIFY; a damaged one is
refused there and the build in use keeps answering.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.builds import BuildSync, publish
from bot.state import PostgresState, PublishedBuild
from retrieval import AsyncKnowledgeBase, KnowledgeBase, Question, build_index
from tests.fakeembedder import FakeEmbedder
from tests.pgserver import PostgresServer
from tests.retrieval.conftest import make_settings

PICKET_PAGE = (
    "---\ntitle: Picket lines\nkind: method\nsummary: Workers at the gate during a strike.\n"
    "status: emerging\ntier: reference\nsources:\n  - {id: field-notes, grounding: secondary}"
    "\n---\n\n## How it works\n\nStrikers stand in a line at the gate during a strike.\n"
)
_databases = itertools.count()


class Host:
    def __init__(self, folder: Path, url: str, *, extra_page: bool = False) -> None:
        self.settings = make_settings(folder)
        if extra_page:
            (self.settings.content_dir / "picket-lines.md").write_text(PICKET_PAGE, "utf-8")
        self.url = url

    async def __aenter__(self) -> Host:
        embedder = FakeEmbedder()
        await asyncio.to_thread(build_index, self.settings, embedder)
        self.kb = AsyncKnowledgeBase(KnowledgeBase.open(self.settings, embedder))
        self.state = await PostgresState.open(self.url, b"k", pool_size=2)
        self.sync = BuildSync(self.kb, self.state)
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.state.close()
        self.kb.close()

    async def top_title(self, question: str) -> str | None:
        answer = await self.kb.ask(Question(question))
        return answer.citations[0].title if answer.citations else None


@pytest.fixture
async def hosts(tmp_path: Path, postgres: PostgresServer) -> AsyncIterator[tuple[Host, Host]]:
    url = postgres.create_database(f"builds_{next(_databases)}")
    async with (
        Host(tmp_path / "a", url, extra_page=True) as a,
        Host(tmp_path / "b", url) as b,
    ):
        yield a, b


async def until(condition: object, within: float = 5) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not await condition():  # type: ignore[operator]
        assert asyncio.get_running_loop().time() < deadline, "not within time"
        await asyncio.sleep(0.05)


async def test_a_published_build_reaches_a_listening_host(hosts: tuple[Host, Host]) -> None:
    a, b = hosts
    started = await b.sync.start()
    assert not started.switched and started.build_id == b.kb.build_id  # nothing published yet
    assert await b.top_title("picket line at the gate") != "Picket lines"

    built, fresh = await publish(a.kb, a.state)
    assert fresh and not (await publish(a.kb, a.state))[1]  # once; the second only announces

    async def b_switched() -> bool:
        return b.kb.build_id == built.build_id

    await until(b_switched)
    assert await b.top_title("picket line at the gate") == "Picket lines"


async def test_a_host_that_was_down_catches_up_when_it_starts(hosts: tuple[Host, Host]) -> None:
    a, b = hosts
    built, _ = await publish(a.kb, a.state)  # b is not listening yet
    result = await b.sync.start()
    assert result.switched and result.build_id == built.build_id == b.kb.build_id


async def test_a_damaged_build_is_refused_and_the_old_one_answers(
    hosts: tuple[Host, Host],
) -> None:
    a, b = hosts
    data, sha256, manifest = await a.kb.artifact()
    serving = b.kb.build_id
    damaged = bytearray(data)
    damaged[-2000] ^= 0xFF
    await b.state.publish_build(PublishedBuild("z-damaged", manifest, sha256, len(data)), damaged)

    result = await b.sync.catch_up()

    assert not result.switched and result.problem is not None and "corrupt" in result.problem
    assert b.kb.build_id == serving
    assert await b.top_title("how do I run a one-to-one conversation") is not None
    reload = await b.sync.reload_everywhere()  # /kb reload says the same, and still answers
    assert reload.problem == result.problem and b.kb.build_id == serving
