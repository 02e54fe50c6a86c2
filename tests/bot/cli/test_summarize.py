"""`orgbot content summarize` prints page paths and proposed summaries as written."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app

runner = CliRunner()


def test_a_proposal_with_markup_is_printed_as_written(config: Path) -> None:
    page = config.parent / "content" / "house-visits.md"
    text = page.read_text().replace("A house visit is an organiser", "TBD. An organiser")
    page.write_text(text.replace(" the ", " the [/i] "))
    result = runner.invoke(
        app, ["--config", str(config), "content", "summarize"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "house-visits.md (" in result.output
    assert "the [/i] " in result.output
