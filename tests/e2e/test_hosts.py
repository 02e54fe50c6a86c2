"""Two hosts, one PostgreSQL: shard processes with their own `var/` serve one bot together.

Each host is a real `orgbot run` process (tests/e2e/hosts.py); the fake Discord serves
both shards and routes each guild to the shard Discord would. The test can also hand a
guild's event to the other shard, as happens when shards are moved between processes.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from tests.e2e.hosts import Host, copy_wiki, make_host, wait_until_ready
from tests.fakediscord.harness import running_fake
from tests.fakediscord.models import Channel, Guild, InteractionRecord, User
from tests.fakediscord.payloads import command_data
from tests.fakediscord.server import FakeDiscord
from tests.fakediscord.state import World
from tests.pgserver import PostgresServer

NEW_PAGE = """---
title: Picket lines
kind: method
summary: A picket line is where striking workers stand at the entrance to ask others not to cross.
status: emerging
tier: reference
sources:
  - {id: field-notes, grounding: secondary}
---

## How it works

Strikers take turns at the gate, talk to delivery drivers and ask them to turn back.
"""


@dataclass
class Stage:
    fake: FakeDiscord
    hosts: dict[str, Host]
    state_url: str
    content: Path
    postgres: PostgresServer

    def guild_on(self, shard: int) -> Guild:
        return next(g for g in self.fake.world.guilds if (g.id >> 22) % 2 == shard)

    def user(self, name: str) -> User:
        return self.fake.world.users[name]

    async def interact(
        self, command: str, options: dict[str, Any] | None, *, guild: Guild, user: str = "alice",
        shard: int | None = None, message: Any = None, data: dict[str, Any] | None = None,
    ) -> InteractionRecord:  # fmt: skip
        channel = guild.channel("general")
        kind = 3 if data is not None else 2
        record = await self.fake.send_interaction(
            kind, data or command_data(command, options), user=self.user(user),
            channel=channel, message=message, shard_id=shard,
        )  # fmt: skip
        answered = await self.fake.state.wait_until(
            lambda: record.answered_at is not None or (record.ack and record.ack.type == 4), 30
        )
        assert answered and record.messages, f"{command} in {guild.name} was not answered"
        return record

    async def ask(self, question: str, **where: Any) -> dict[str, Any]:
        record = await self.interact("ask", {"question": question}, **where)
        assert record.ack is not None and record.ack_latency is not None
        message = record.original or record.messages[0]
        return message.data

    async def ask_as_newcomer(self, question: str, guild: Guild) -> dict[str, Any]:
        """Ask as a user never seen before: polling must not run into the shared cooldown
        (3 questions a minute per user, wherever they land)."""
        name = f"newcomer{len(self.fake.world.users)}"
        self.fake.world.add_user(name)
        return await self.ask(question, guild=guild, user=name)

    async def mention(self, text: str, guild: Guild, shard: int) -> tuple[list[Any], list[Any]]:
        channel: Channel = guild.channel("general")
        since = self.fake.state.now()
        threads_before = len(self.fake.state.threads_started)
        await self.fake.send_message(
            channel, text, user=self.user("bob"), mentions_bot=True, shard_id=shard
        )
        state = self.fake.state
        await state.wait_until(lambda: bool(state.bot_messages_since(since)), 10)
        return state.bot_messages_since(since), state.threads_started[threads_before:]


@pytest.fixture
async def stage(tmp_path: Path, postgres: PostgresServer) -> AsyncIterator[Stage]:
    state_url = postgres.create_database(f"hosts_{tmp_path.name[-12:].replace('-', '_')}")
    content = copy_wiki(tmp_path)
    async with running_fake(World.default(guilds=2)) as fake:
        hosts = {name: make_host(tmp_path, name, content, state_url, fake) for name in "ab"}
        built = hosts["a"].orgbot("index", "build")
        assert built.returncode == 0, built.stdout + built.stderr
        published = hosts["a"].orgbot("index", "publish")
        assert published.returncode == 0, published.stdout + published.stderr
        hosts["a"].start(fake.token, "0", 2)
        hosts["b"].start(fake.token, "1", 2)  # no build of its own: fetches the published one
        try:
            await wait_until_ready(hosts.values())
            yield Stage(fake, hosts, state_url, content, postgres)
        finally:
            for host in hosts.values():
                host.stop()
        assert not fake.violations, fake.violations
    for host in hosts.values():
        assert "Traceback" not in host.log_text(), host.log_text()[-3000:]


def custom_ids(message: dict[str, Any]) -> list[str]:
    return [
        c.get("custom_id", "") for row in message.get("components", []) for c in row["components"]
    ]


async def test_two_hosts_share_settings_builds_feedback_gaps_and_cooldowns(stage: Stage) -> None:
    a_guild, b_guild = stage.guild_on(0), stage.guild_on(1)

    # Host b had no build: it fetched the one host a published, and answers from it.
    answered = await stage.ask("how do I run a one-to-one conversation", guild=b_guild)
    assert answered["embeds"][0]["fields"][0]["name"].startswith("1. One-to-ones")

    # A setting changed through shard 0 holds on shard 1 at once.
    changed = await stage.interact("kb settings", {"thread_mode": False}, guild=a_guild, user="ada")
    assert "thread_mode (changed)" in str(changed.messages[0].data["embeds"])
    replies, threads = await stage.mention("how do house visits work", a_guild, shard=1)
    assert replies and not threads  # shard 1 answered in place, as a's guild now wants

    # Questions and votes through either shard reach one /kb gaps.
    await stage.ask("quantum chromodynamics lattice gauge", guild=a_guild, user="bob")
    await stage.ask("quantum chromodynamics lattice gauge", guild=a_guild, user="bob", shard=1)
    gaps = await stage.interact("kb gaps", None, guild=a_guild, user="ada")
    assert "**2×** quantum chromodynamics lattice gauge" in str(gaps.messages[0].data["embeds"])

    # Cooldowns hold per user whichever shard the questions land on.
    for _ in range(3):
        await stage.ask("house visits", guild=b_guild, user="owner")
    refused = await stage.interact("ask", {"question": "house visits"}, guild=a_guild,
                                   user="owner")  # fmt: skip
    assert refused.messages[0].data["content"].startswith("Easy there!")

    # A vote through host b survives host a being killed.
    voted_on = await stage.ask("power mapping who decides", guild=b_guild, user="alice")
    vote = next(i for i in custom_ids(voted_on) if i.startswith("ob:vote:") and i.endswith("up"))
    record = stage.fake.state.messages[int(voted_on["id"])]
    await stage.interact("", None, guild=b_guild, user="alice", message=record,
                         data={"custom_id": vote, "component_type": 2})  # fmt: skip
    stage.hosts["a"].kill()
    conn = await asyncpg.connect(stage.state_url)
    try:
        assert await conn.fetchval("SELECT COUNT(*) FROM feedback WHERE vote = 1") == 1
    finally:
        await conn.close()


async def test_a_build_published_while_both_run_is_answered_from_by_both(stage: Stage) -> None:
    (stage.content / "picket-lines.md").write_text(NEW_PAGE, encoding="utf-8")
    built = stage.hosts["a"].orgbot("index", "build")
    assert built.returncode == 0, built.stderr
    started = asyncio.get_running_loop().time()
    published = stage.hosts["a"].orgbot("index", "publish")
    assert published.returncode == 0, published.stderr

    for shard in (0, 1):
        guild = stage.guild_on(shard)
        while True:
            data = await stage.ask_as_newcomer(
                "picket line at the gate with delivery drivers", guild
            )
            fields = (data.get("embeds") or [{}])[0].get("fields", [])
            if fields and fields[0]["name"].startswith("1. Picket lines"):
                break
            assert asyncio.get_running_loop().time() - started < 5, f"shard {shard}: {data}"
            await asyncio.sleep(0.2)


async def test_the_hosts_ride_out_a_postgresql_restart(stage: Stage) -> None:
    guilds = [stage.guild_on(0), stage.guild_on(1)]
    users = ["alice", "bob", "ada", "owner"]

    async def ask_many(rounds: int) -> list[dict[str, Any]]:
        asked = [
            stage.ask("how do house visits work", guild=guilds[n % 2], user=users[n % 4])
            for n in range(rounds)
        ]
        return await asyncio.gather(*asked)

    during = asyncio.create_task(ask_many(8))
    await asyncio.sleep(0.05)
    await asyncio.to_thread(stage.postgres.restart)
    answers = await during
    # Every question got an answer, whatever the state server was doing meanwhile.
    assert all(a["embeds"][0]["fields"] for a in answers)

    # Reconnected: settings are saved again, and the listener hears notifications again.
    changed = await stage.interact("kb settings", {"public": True}, guild=guilds[0], user="ada")
    assert "public_by_default (changed)" in str(changed.messages[0].data["embeds"])
    (stage.content / "picket-lines.md").write_text(NEW_PAGE, encoding="utf-8")
    assert stage.hosts["a"].orgbot("index", "build").returncode == 0
    assert stage.hosts["a"].orgbot("index", "publish").returncode == 0
    deadline = asyncio.get_running_loop().time() + 15
    while True:
        data = await stage.ask_as_newcomer(
            "picket line at the gate with delivery drivers", guilds[1]
        )
        fields = (data.get("embeds") or [{}])[0].get("fields", [])
        if fields and fields[0]["name"].startswith("1. Picket lines"):
            break
        log = stage.hosts["b"].log_text()[-2000:]
        assert asyncio.get_running_loop().time() < deadline, (data, log)
        await asyncio.sleep(0.3)
