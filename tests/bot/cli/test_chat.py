"""`orgbot chat` through the real CLI: its commands, `more`, and follow-up questions."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.cli.chat import follow_up

runner = CliRunner()


def chat(config: Path, *lines: str) -> str:
    runner.invoke(app, ["--config", str(config), "index", "build"])
    result = runner.invoke(
        app,
        ["--config", str(config), "chat"],
        input="\n".join(lines) + "\n",
        env={"COLUMNS": "120"},
    )
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result.output


def test_help_lists_the_commands_and_is_not_asked(config: Path) -> None:
    for word in ("help", "/help", "HELP", "?"):
        out = chat(config, word)
        assert "more" in out and "quit" in out and "lang" in out and "new" in out
        assert "grounded" not in out and "searched in" not in out


def test_more_shows_the_next_citations_of_the_last_question(config: Path) -> None:
    out = chat(config, "house visits door knocking", "more")
    first, rest = out.split("[4]", 1)
    assert "[1] House visits ›" in first
    assert "[1]" not in rest  # numbered on from the first answer
    assert out.count("searched in") == 2


def test_more_with_nothing_to_continue_says_so(config: Path) -> None:
    out = chat(config, "more")
    assert "Ask a question first" in out
    out = chat(config, "xylophone quantum chromodynamics", "/more")
    assert "There are no more results for this question." in out
    assert out.count("searched in") == 1


def test_a_follow_up_is_asked_about_the_previous_answer(config: Path) -> None:
    # Alone, "what about the risks?" is answered from House visits; after a question about
    # rent pledges it means the risks of rent pledges.
    out = chat(config, "rent pledge withhold rent", "what about the risks?")
    assert "asked as: Rent pledges: the risks?" in out
    assert out.count("[1] Rent pledges ›") == 2


def test_new_forgets_the_previous_question(config: Path) -> None:
    out = chat(config, "rent pledge withhold rent", "new", "what about the risks?")
    assert "asked as" not in out
    assert out.count("[1] Rent pledges ›") == 1
    assert "[1] House visits ›" in out


def test_lang_switches_the_answer_language_and_refuses_unknown_codes(config: Path) -> None:
    out = chat(config, "lang xx", "lang DE", "lang", "house visits door knocking")
    assert "unknown language 'xx'" in out
    assert "answering in Deutsch (de)" in out
    assert "Hausbesuche ›" in out


def test_quit_and_exit_leave_with_or_without_a_slash(config: Path) -> None:
    for word in ("quit", "/exit", "Exit"):
        out = chat(config, word, "house visits door knocking")
        assert "House visits ›" not in out and "searched in" not in out


def names_a_page(text: str) -> bool:
    return text.casefold() in {"house meetings", "rent pledges", "gene sharp"}


@pytest.mark.parametrize(
    ("line", "asked"),
    [
        ("what about the risks?", "Rent pledges: the risks?"),
        ("And the steps?", "Rent pledges: the steps?"),
        ("how about examples", "Rent pledges: examples"),
        ("also: who signs", "Rent pledges: who signs"),
        ("examples?", "Rent pledges: examples?"),
        ("the risks", "Rent pledges: the risks"),
        ("und die Risiken?", "Rent pledges: die Risiken?"),
        ("et les risques ?", "Rent pledges: les risques ?"),
        ("¿y los riesgos?", "Rent pledges: los riesgos?"),
        # A question of its own: long, naming a page, or only an opener.
        ("how do I keep a signal group safe from the landlord", None),
        ("house meetings", None),
        ("what about house meetings?", None),
        ("and who was Gene Sharp", None),
        ("and", None),
        ("android phones and signal safety for organisers", None),
    ],
)
def test_the_follow_up_rule(line: str, asked: str | None) -> None:
    assert follow_up(line, "Rent pledges", names_a_page) == asked
