"""`orgbot eval` as a table: the question set's own words are printed as written."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app

runner = CliRunner()


def test_tables_print_questions_and_groups_as_written(config: Path, tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    rows = [
        {"id": "a", "question": "house visits door", "slugs": ["house-visits"], "group": "g[/b]"},
        {"id": "b[x]", "question": "xylophone [/bold] chromodynamics", "slugs": ["marches"]},
    ]
    questions.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    result = runner.invoke(
        app, ["--config", str(config), "eval", str(questions)], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "xylophone [/bold] chromodynamics" in result.output
    assert "b[x]" in result.output
