"""`orgbot index build` and `orgbot index status` as a maintainer runs them."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app
from retrieval import __version__

runner = CliRunner()


def run(config: Path, *args: str):
    return runner.invoke(app, ["--config", str(config), *args], env={"COLUMNS": "200"})


def builds(config: Path) -> list[str]:
    index = config.parent / "var" / "index"
    return sorted(p.name for p in index.iterdir() if p.is_dir() and not p.name.startswith("."))


def test_status_prints_a_folder_with_brackets_as_written(config: Path) -> None:
    config.write_text(config.read_text().replace('var_dir = "var"', 'var_dir = "v[/red]ar"'))
    built = runner.invoke(app, ["--config", str(config), "index", "build"])
    assert built.exit_code == 0, built.output
    assert built.output.startswith("Built the index: 13 pages, 46 passages")
    status = runner.invoke(
        app, ["--config", str(config), "index", "status"], env={"COLUMNS": "300"}
    )
    assert status.exit_code == 0, status.output
    assert "v[/red]ar" in status.output


def test_a_build_with_nothing_changed_says_so_and_keeps_the_build(config: Path) -> None:
    assert run(config, "index", "build").exit_code == 0
    (first,) = builds(config)
    again = run(config, "index", "build")
    assert again.exit_code == 0, again.output
    assert f"Nothing changed since build {first}" in again.output and "--full" in again.output
    assert builds(config) == [first]


def test_status_of_a_whole_build_says_ok(config: Path) -> None:
    run(config, "index", "build")
    status = run(config, "index", "status")
    assert status.exit_code == 0 and "health" in status.output and "ok" in status.output


def test_status_names_a_build_an_older_orgbot_made_and_how_to_remake_it(config: Path) -> None:
    run(config, "index", "build")
    current = run(config, "index", "status")
    assert f"orgbot {__version__}" in current.output and "remakes" not in current.output
    (build,) = builds(config)
    manifest = config.parent / "var" / "index" / build / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["version"] = "0.0.1"
    manifest.write_text(json.dumps(data), encoding="utf-8")

    older = run(config, "index", "status")

    assert older.exit_code == 0, older.output  # it still answers: not a failure
    assert "orgbot 0.0.1; `orgbot index build` remakes it" in older.output
    rebuilt = run(config, "index", "build")
    assert rebuilt.exit_code == 0 and "Nothing changed" not in rebuilt.output
