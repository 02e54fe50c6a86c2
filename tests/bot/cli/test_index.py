"""`orgbot index build` and `orgbot index status` print paths and names as written."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app

runner = CliRunner()


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
