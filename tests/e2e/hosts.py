"""Bot processes as an operator runs them (`orgbot run`), each with its own `var/`, sharing
one PostgreSQL server and one fake Discord: the stage for the multi-host tests and benchmark.

Each process runs the real CLI with the test suite's fake embedders registered, and points
discord.py at the fake through `[discord] api_base` (as it would at a Discord API proxy).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tests.fakediscord.server import FakeDiscord
from tests.paths import REPO, WIKI

# `orgbot` with the test suite's fake embedders registered, the way a real backend is.
ORGBOT = (
    "import sys; from tests import fakeembedder; fakeembedder.register(); "
    "from bot.cli import main; main()"
)
HASH_KEY = "shared-by-every-host"  # one key everywhere, or hashed users would not match


@dataclass
class Host:
    """One machine: its settings file, its `var/`, and the bot process while it runs."""

    name: str
    folder: Path
    config: Path
    process: subprocess.Popen[bytes] | None = None
    logs: list[Path] = field(default_factory=list)

    @property
    def var(self) -> Path:
        return self.folder / "var"

    def orgbot(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """Run one `orgbot` command on this host and wait for it."""
        return subprocess.run(
            [sys.executable, "-c", ORGBOT, "--config", str(self.config), *args],
            cwd=REPO, env=_env(), capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip

    def start(self, token: str, shard_ids: str, shard_count: int) -> None:
        log = self.folder / f"run-{len(self.logs)}.log"
        self.logs.append(log)
        self.process = subprocess.Popen(
            [sys.executable, "-c", ORGBOT, "--config", str(self.config), "run",
             "--shard-ids", shard_ids, "--shard-count", str(shard_count)],
            cwd=REPO, env=_env() | {"DISCORD_TOKEN": token},
            stdout=log.open("wb"), stderr=subprocess.STDOUT,
        )  # fmt: skip

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def log_text(self) -> str:
        return "\n".join(path.read_text(errors="replace") for path in self.logs if path.exists())


def _env() -> dict[str, str]:
    return os.environ | {"ORGBOT_HASH_KEY": HASH_KEY, "PYTHONPATH": str(REPO)}


# The test suite's fake encoders, and thresholds that suit them.
FAKE_MODELS = (
    '[model]\nname = "fake"\n[multilingual]\nname = "fake-multilingual"\n'
    "[answer]\nthreshold = 0.2\nsee_also_threshold = 0.05\nmax_citations = 2\n"
)


def make_host(
    root: Path, name: str, content: Path, state_url: str, fake: FakeDiscord, *,
    models: str = FAKE_MODELS, cooldown_seconds: float = 60,
) -> Host:  # fmt: skip
    """A host's folder and settings; `models` is the settings text for its encoders."""
    folder = root / name
    folder.mkdir(parents=True)
    config = folder / "orgbot.toml"
    config.write_text(
        f'content_dir = "{content}"\nvar_dir = "var"\nbase_url = "https://wiki.example.org/"\n'
        f"{models}"
        f'[state]\nurl = "{state_url}"\n'
        f'[discord]\napi_base = "{fake.api_base}"\ngateway_url = "{fake.ws_url}"\n'
        f"cooldown_seconds = {cooldown_seconds}\ncooldown_burst = 3\n",
        encoding="utf-8",
    )
    return Host(name, folder, config)


def copy_wiki(root: Path) -> Path:
    content = root / "content"
    shutil.copytree(WIKI, content)
    return content


async def wait_until_ready(hosts: Iterable[Host], within: float = 60) -> None:
    """Until every process has logged the line an operator looks for once its shards are up."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    for host in hosts:
        while "ready: shards" not in host.log_text():
            assert loop.time() < deadline, f"host {host.name} never got ready: {host.log_text()}"
            await asyncio.sleep(0.1)
