"""The question-answering commands, run through the real CLI on a fake-embedder wiki."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app

runner = CliRunner()


def run(config: Path, *args: str, stdin: str | None = None):
    return runner.invoke(app, ["--config", str(config), *args], input=stdin)


def test_first_ask_builds_the_index_then_answers_with_json(config: Path) -> None:
    result = run(config, "ask", "--json", "what is a rent pledge and its signature threshold")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert data["answered"] is True
    assert set(data) >= {"question", "answered", "hits", "latency_ms"}
    hit = data["hits"][0]
    assert set(hit) == {"slug", "title", "section", "score", "snippet", "url"}
    assert hit["slug"] == "rent-pledges"
    assert hit["url"].startswith("https://wiki.example.org/rent-pledges")
    assert (config.parent / "var" / "index" / "CURRENT").exists()


def test_ask_reads_questions_from_stdin_in_order(config: Path) -> None:
    run(config, "index", "build")
    questions = ["house visits door knocking", "", "rent pledge withhold rent", "🙂"]
    result = run(config, "ask", "--json", "-", stdin="\n".join(questions) + "\n")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.strip().splitlines()]
    assert [d["question"] for d in lines] == [
        "house visits door knocking",
        "rent pledge withhold rent",
        "🙂",
    ]
    assert [d["answered"] for d in lines] == [True, True, False]
    assert lines[0]["hits"][0]["slug"] == "house-visits"


def test_ask_prints_readable_text(config: Path) -> None:
    result = run(config, "ask", "house visits")
    assert result.exit_code == 0, result.output
    assert "House visits ›" in result.output


def test_ask_without_grounded_answer_says_so(config: Path) -> None:
    result = run(config, "ask", "--lang", "en", "xylophone quantum chromodynamics")
    assert result.exit_code == 0
    assert "no grounded answer" in result.output


def test_index_status_reports_build_and_changes(config: Path) -> None:
    assert run(config, "index", "build").exit_code == 0
    (config.parent / "content" / "rent-pledges.md").write_text(
        (config.parent / "content" / "rent-pledges.md").read_text() + "\nMore.\n"
    )
    result = run(config, "index", "status")
    assert result.exit_code == 0, result.output
    assert "fake-256" in result.output
    assert "1 page(s): rent-pledges" in result.output


def test_index_build_with_broken_content_is_one_clear_error(config: Path) -> None:
    (config.parent / "content" / "bad.md").write_text("---\nkind: method\n---\n")
    result = run(config, "index", "build")
    assert result.exit_code == 2
    assert "bad.md:2" in result.output and "title" in result.output
    assert "Traceback" not in result.output


def test_bad_model_is_one_clear_error(config: Path) -> None:
    config.write_text(config.read_text().replace('name = "fake"', 'name = "/no/such/model"'))
    result = run(config, "ask", "anything")
    assert result.exit_code == 2
    assert "not a local folder" in result.output


def test_eval_reports_all_three_modes(config: Path, tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    rows = [
        {"id": "a", "question": "house visits door", "slugs": ["house-visits"]},
        {"id": "b", "question": "rent pledge withhold", "slugs": ["rent-pledges"]},
        {"id": "c", "question": "xylophone chromodynamics", "answerable": False, "slugs": []},
    ]
    questions.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    result = run(config, "eval", str(questions), "--json")
    assert result.exit_code == 0, result.output
    reports = json.loads(result.stdout)
    assert [r["mode"] for r in reports] == ["hybrid", "lexical", "dense"]
    hybrid = reports[0]
    assert hybrid["recall"]["1"] == 1.0 and hybrid["mrr"] == 1.0
    assert hybrid["no_answer_recall"] == 1.0


def test_eval_names_the_bad_line(config: Path, tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_text('{"question": "ok", "slugs": []}\nnot json\n')
    result = run(config, "eval", str(questions))
    assert result.exit_code == 2
    assert "q.jsonl:2" in result.output


def test_summarize_dry_run_then_write(config: Path) -> None:
    page = config.parent / "content" / "house-visits.md"
    page.write_text(page.read_text().replace("A house visit is an organiser", "TBD. An organiser"))
    dry = run(config, "content", "summarize")
    assert dry.exit_code == 0, dry.output
    assert "house-visits.md" in dry.output and "Dry run" in dry.output
    assert "TBD" in page.read_text()
    wrote = run(config, "content", "summarize", "--write")
    assert wrote.exit_code == 0
    assert "summary_source: extracted" in page.read_text()


def test_chat_answers_until_quit(config: Path) -> None:
    run(config, "index", "build")
    result = run(config, "chat", stdin="house visits door knocking\n\nquit\nnever asked\n")
    assert result.exit_code == 0, result.output
    assert "House visits ›" in result.output
    assert result.output.count("ms") == 1  # one answer: the blank line is skipped, quit stops


def test_lang_option_is_normalised_and_checked(config: Path) -> None:
    run(config, "index", "build")
    upper = run(config, "ask", "--json", "--lang", "DE", "Organizerin klingelt an der Tür")
    assert upper.exit_code == 0, upper.output
    assert json.loads(upper.stdout.splitlines()[-1])["hits"][0]["slug"] == "de/house-visits"
    unknown = run(config, "ask", "--lang", "xx", "anything")
    assert unknown.exit_code == 2 and "unknown language 'xx'" in unknown.output


def test_crlf_input_lines_are_clean_questions(config: Path) -> None:
    run(config, "index", "build")
    result = run(config, "ask", "--json", "-", stdin="house visits door\r\nrent pledge\r\n")
    questions = [json.loads(line)["question"] for line in result.stdout.strip().splitlines()]
    assert questions == ["house visits door", "rent pledge"]


def answer_of(result) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_answer_speaks_the_language_of_the_question(config: Path) -> None:
    run(config, "index", "build")
    german = answer_of(run(config, "ask", "--json", "Wie klingelt die Organizerin an der Tür?"))
    english = answer_of(run(config, "ask", "--json", "how do house visits at the door work"))

    assert german["lang"] == "de" and german["hits"][0]["slug"] == "de/house-visits"
    assert english["lang"] == "en" and english["hits"][0]["slug"] == "house-visits"


def test_lang_forces_the_language_and_the_fallback_is_said_in_it(config: Path) -> None:
    run(config, "index", "build")
    forced = answer_of(
        run(config, "ask", "--json", "--lang", "de", "rent pledge signatures threshold")
    )
    text = run(config, "ask", "--lang", "de", "rent pledge signatures threshold")

    assert (forced["lang"], forced["fell_back_to"]) == ("de", "en")
    assert forced["hits"][0]["slug"] == "rent-pledges"
    assert "Diese Seiten gibt es noch nicht auf Deutsch" in text.output


def test_a_german_question_finds_an_english_only_page(config: Path) -> None:
    run(config, "index", "build")
    found = answer_of(
        run(config, "ask", "--json", "Wie viele Unterschriften braucht ein Miete Versprechen?")
    )

    assert found["lang"] == "de" and found["fell_back_to"] == "en"
    assert found["hits"][0]["slug"] == "rent-pledges"


def test_a_language_the_wiki_lacks_is_answered_from_what_exists_and_said(
    config: Path,
) -> None:
    run(config, "index", "build")
    italian = answer_of(
        run(config, "ask", "--json", "rent pledge, signatures, threshold: come funziona?")
    )
    text = run(config, "ask", "rent pledge, signatures, threshold: come funziona?")

    assert italian["lang"] == "it" and italian["fell_back_to"] == "en"
    assert italian["hits"][0]["slug"] == "rent-pledges"
    assert "No Italiano version of these pages yet" in text.output


def test_questions_with_markup_are_printed_as_written_and_none_is_lost(config: Path) -> None:
    run(config, "index", "build")
    result = run(config, "ask", "-", stdin="x [/bold]\nhouse visits door knocking\n")
    assert result.exit_code == 0, result.output
    assert "x [/bold]" in result.output
    assert "House visits ›" in result.output  # the question after it is answered too


def test_page_titles_and_sections_with_markup_are_printed_as_written(config: Path) -> None:
    page = config.parent / "content" / "house-visits.md"
    text = page.read_text().replace("title: House visits", "title: 'House visits [/bold] :smile:'")
    page.write_text(text.replace("## How it works", "## How it [/red] works"))
    expected = "House visits [/bold] :smile: › How it [/red] works"

    asked = run(config, "ask", "organiser knocks on a door and introduces the campaign")
    chatted = run(config, "chat", stdin="organiser knocks on a door and introduces the campaign\n")

    for result in (asked, chatted):
        assert result.exit_code == 0, result.output
        assert expected in result.output


def test_an_empty_question_is_one_clear_error(config: Path) -> None:
    for question in ("", "   "):
        result = run(config, "ask", question)
        assert result.exit_code == 2, result.output
        assert result.output.startswith("error: the question is empty")
        assert "grounded" not in result.output
        assert not (config.parent / "var" / "index").exists()  # nothing built for nothing
    result = run(config, "ask", "?!")
    assert result.exit_code == 2, result.output
    assert result.output.startswith("error: the question has no words to search for")


def test_the_first_ask_says_what_it_built_and_what_the_time_measures(config: Path) -> None:
    result = run(config, "ask", "house visits door knocking")
    assert result.exit_code == 0, result.output
    assert "Built the index: 13 pages, 46 passages" in result.output
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("searched in ") and last.endswith(" ms"), last
