"""`orgbot index build` and `orgbot index status` as a maintainer runs them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from tests.paths import WIKI

runner = CliRunner()


@pytest.fixture
def config(tmp_path: Path) -> Path:
    shutil.copytree(WIKI, tmp_path / "content")
    path = tmp_path / "orgbot.toml"
    path.write_text('content_dir = "content"\nvar_dir = "var"\n[model]\nname = "fake"\n')
    return path


def run(config: Path, *args: str):
    return runner.invoke(app, ["--config", str(config), *args], env={"COLUMNS": "200"})


def builds(config: Path) -> list[str]:
    index = config.parent / "var" / "index"
    return sorted(p.name for p in index.iterdir() if p.is_dir() and not p.name.startswith("."))


def test_a_build_with_nothing_changed_says_so_and_keeps_the_build(config: Path) -> None:
    assert run(config, "index", "build").exit_code == 0
    (first,) = builds(config)
    again = run(config, "index", "build")
    assert again.exit_code == 0, again.output
    assert f"nothing changed since build {first}" in again.output and "--full" in again.output
    assert builds(config) == [first]


def test_status_of_a_whole_build_says_ok(config: Path) -> None:
    run(config, "index", "build")
    status = run(config, "index", "status")
    assert status.exit_code == 0 and "health" in status.output and "ok" in status.output
