"""`orgbot content summarize --write`: each page gets its summary or is left exactly as it was."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app

runner = CliRunner()

BODY = (
    "\n## How it works\nEach member calls three others, who each call three more people.\n"
    "Within four rounds a phone tree reaches eighty people in the group.\n"
)
# The summary is also the page's alias through a YAML anchor: rewriting the summary alone
# would leave `*s` pointing nowhere, so this page must be refused, not broken.
SHARED_SUMMARY = "---\ntitle: Call chains\nkind: method\nsummary: &s TBD\naliases: [*s]\n---\n"


def test_a_page_that_cannot_be_rewritten_is_named_and_the_others_are_written(
    tmp_path: Path,
) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "phone-trees.md").write_text(
        "-----\ntitle: Phone trees\nkind: method\n-----\n" + BODY
    )
    (content / "call-chains.md").write_text(SHARED_SUMMARY + BODY)
    config = tmp_path / "orgbot.toml"
    config.write_text(
        'content_dir = "content"\n[model]\nname = "fake"\n[multilingual]\nname = ""\n'
    )
    result = runner.invoke(app, ["--config", str(config), "content", "summarize", "--write"])
    assert result.exit_code == 1, result.output
    assert "call-chains.md: not written:" in result.output and "alias" in result.output
    assert "Traceback" not in result.output and "wrote 1 summary" in result.output
    assert (content / "call-chains.md").read_text() == SHARED_SUMMARY + BODY
    written = (content / "phone-trees.md").read_text()
    assert written.startswith("-----\ntitle: Phone trees\nkind: method\nsummary: Each member")
    assert written.endswith("-----\n" + BODY)


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
