"""`orgbot run` / `orgbot sync` on the command line: clean errors, commands pushed to Discord."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.cli.discord import push_commands
from bot.settings import Settings
from tests.e2e.hosts import ORGBOT
from tests.fakediscord.harness import running_fake
from tests.paths import REPO

runner = CliRunner()


def test_run_without_a_token_is_a_one_line_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    result = runner.invoke(app, ["run"])
    assert result.exit_code == 2
    assert "no Discord token" in result.output
    assert "Traceback" not in result.output


def test_bad_shard_ids_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "not-a-real-token")
    result = runner.invoke(app, ["run", "--shard-ids", "0,5", "--shard-count", "2"])
    assert result.exit_code == 2
    assert "--shard-ids must lie in 0..1" in result.output
    assert "not-a-real-token" not in result.output


async def test_sync_registers_every_command_without_loading_the_model(
    settings: Settings, tmp_path: Path
) -> None:
    settings = settings.model_copy(
        update={"bot": settings.bot.model_copy(update={"var_dir": tmp_path})}
    )
    async with running_fake() as fake:
        names = await push_commands(settings, fake.token, None)
        guild = fake.world.guild.id
        guild_names = await push_commands(settings, fake.token, guild)

    expected = {"ask", "case", "kb", "method", "page", "source", "thinker"}
    assert set(names) == expected
    assert set(guild_names) == expected
    assert {c["name"] for c in fake.state.commands[guild]} == expected


def test_run_with_discord_unreachable_is_one_line(config: Path) -> None:
    # A real `orgbot run` process (the fake embedders registered), so what an operator sees
    # on stderr is what is checked.
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config.write_text(
        config.read_text() + f'[discord]\napi_base = "http://127.0.0.1:{port}/api/v10"\n'
    )
    env = os.environ | {
        "PYTHONPATH": str(REPO), "DISCORD_TOKEN": "not-a-real-token", "ORGBOT_HASH_KEY": "k"
    }  # fmt: skip

    def orgbot(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", ORGBOT, "--config", str(config), *args],
            cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip

    assert orgbot("index", "build").returncode == 0
    result = orgbot("run")

    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert "Traceback" not in result.stderr, result.stderr
    # The log's one line on logging in, then the reason it stopped.
    assert len(lines) <= 2 and lines[-1].startswith("error: cannot reach Discord"), lines
    assert "not-a-real-token" not in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("content", "phrase"),
    [
        (b"\xff\xfe\x00binary\x00garbage", "is not text"),
        (b"first-line\nsecond-line", "line breaks"),
        (b"", "is empty"),
    ],
)
def test_a_bad_token_file_is_one_line_that_never_shows_the_token(
    tmp_path: Path, content: bytes, phrase: str
) -> None:
    token_file = tmp_path / "token"
    token_file.write_bytes(content)
    result = runner.invoke(app, ["run", "--token-file", str(token_file)])
    assert result.exit_code == 2 and phrase in result.output, result.output
    assert "Traceback" not in result.output and "second-line" not in result.output
