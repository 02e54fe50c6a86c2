"""The root of the command line: `--version`, the one-line error, help as written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from retrieval import __version__

runner = CliRunner()

# Piped output: no COLUMNS, so rich falls back to its 80 columns.
PIPED = {"COLUMNS": None, "LINES": None}


def test_version_is_printed_and_nothing_else() -> None:
    for flag in ("--version", "-V"):
        result = runner.invoke(app, [flag])
        assert result.exit_code == 0, result.output
        assert result.output == f"orgbot {__version__}\n"


def test_an_error_naming_a_path_with_brackets_prints_it_as_written(tmp_path: Path) -> None:
    missing = tmp_path / "x[/red]" / "orgbot.toml"
    result = runner.invoke(app, ["--config", str(missing), "ask", "anything"], env=PIPED)
    assert result.exit_code == 2, result.output
    assert result.output.startswith("error: ")
    assert "x[/red]" in result.output
    assert "Traceback" not in result.output


def test_a_hint_keeps_its_bracketed_words_on_one_line(config: Path) -> None:
    config.write_text(config.read_text().replace('name = "fake"', 'name = "/no/such/model"'))
    result = runner.invoke(app, ["--config", str(config), "ask", "anything"], env=PIPED)
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert len(lines) == 1, lines  # one message, one line, however long, when piped
    assert "Download it once elsewhere and set [model] name to its folder" in lines[0]


COMMANDS = [
    [],
    ["ask"],
    ["chat"],
    ["eval"],
    ["run"],
    ["sync"],
    ["content"],
    ["content", "lint"],
    ["content", "import"],
    ["content", "summarize"],
    ["index", "build"],
    ["index", "status"],
    ["model", "export"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "orgbot")
def test_flags_have_no_type_label(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "<bool>" not in result.output


def test_help_shows_bracketed_words_as_written() -> None:
    result = runner.invoke(app, ["eval", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "[answer] threshold" in result.output


def test_help_keeps_examples_indented_under_their_heading() -> None:
    result = runner.invoke(app, ["run", "--help"], env={"COLUMNS": "200"})
    lines = result.output.splitlines()
    heading = next(line for line in lines if line.strip() == "Examples:")
    example = next(line for line in lines if line.strip().startswith("DISCORD_TOKEN="))
    indent = len(example) - len(example.lstrip())
    assert indent > len(heading) - len(heading.lstrip())


def test_loading_the_command_line_leaves_discord_unimported() -> None:
    # Every command loads the whole CLI; `orgbot ask` must not pay for discord.py's import.
    probe = "import sys, bot.cli; print(sorted({'discord', 'aiohttp'} & set(sys.modules)))"
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert loaded.stdout.strip() == "[]"
