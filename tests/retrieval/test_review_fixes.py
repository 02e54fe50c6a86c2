"""Edge cases found in review: each once crashed or gave a wrong answer."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from retrieval.build import build_index
from retrieval.builds import CURRENT
from retrieval.config import ConfigError, load_settings
from retrieval.content import load_pages
from retrieval.evaluate import QuestionSetError, read_questions
from retrieval.service import KnowledgeBase
from retrieval.worker import AsyncKnowledgeBase

STUB_DE = """---
title: Mietversprechen
kind: method
lang: de
translation_of: rent-pledges
status: stub
summary: Noch zu schreiben.
---
"""


def test_stub_translation_does_not_hide_the_english_answer(settings, embedder) -> None:
    (settings.content_dir / "de" / "rent-pledges.md").write_text(STUB_DE)
    build_index(settings, embedder)
    kb = KnowledgeBase.open(settings, embedder)
    answer = kb.ask("rent pledge signatures threshold withhold", lang="de")
    assert answer.answered
    assert answer.citations[0].slug == "rent-pledges"
    assert answer.fell_back_to == "en"
    assert kb.page("rent-pledges", "de") == (kb.build.pages["rent-pledges"], True)


def test_undecodable_bytes_in_a_question_are_replaced_not_fatal(kb) -> None:
    answer = kb.ask("house \udcff visits door")  # how a terminal passes a stray 0xff byte
    assert answer.answered


async def test_a_question_that_breaks_the_model_fails_alone(kb, monkeypatch) -> None:
    real = kb.ask_batch

    def fragile(questions):
        if any("boom" in q.text for q in questions):
            raise ValueError("cannot encode")
        return real(questions)

    monkeypatch.setattr(kb, "ask_batch", fragile)
    worker = AsyncKnowledgeBase(kb)
    try:
        results = await asyncio.gather(
            worker.ask("house visits door"), worker.ask("boom"), worker.ask("rent pledge"),
            return_exceptions=True,
        )  # fmt: skip
    finally:
        worker.close()
    assert results[0].citations[0].slug == "house-visits"
    assert isinstance(results[1], ValueError)
    assert results[2].citations[0].slug == "rent-pledges"


@pytest.mark.parametrize(
    "lines",
    [
        ["[1, 2]"],
        ['{"question": 5, "slugs": []}'],
        ['{"question": "q", "slugs": "power-mapping"}'],
        ['{"question": "q", "slugs": [], "answerable": "false"}'],
        [],
    ],
)
def test_malformed_question_files_are_refused_with_the_line(tmp_path: Path, lines) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(QuestionSetError, match=r"q\.jsonl(:1: not a question|: no questions)"):
        read_questions(path)


def test_question_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_bytes(b'{"question": "caf\xe9", "slugs": []}\n')
    with pytest.raises(QuestionSetError, match="UTF-8"):
        read_questions(path)


def test_build_after_a_dangling_pointer_starts_fresh(settings, embedder) -> None:
    build_index(settings, embedder)
    (settings.index_dir / CURRENT).write_text("gone\n")
    report = build_index(settings, embedder)
    assert report.embedded == report.passages  # nothing to reuse, but no crash


def test_folders_and_dead_links_named_md_are_not_pages(tmp_path: Path) -> None:
    (tmp_path / "x.md").mkdir()
    (tmp_path / "y.md").symlink_to(tmp_path / "nowhere.md")
    (tmp_path / "z.md").write_text("---\ntitle: Z\nkind: method\n---\n")
    result = load_pages(tmp_path)
    assert [p.slug for p in result.pages] == ["z"]
    assert result.errors == ()


def test_lint_given_a_file_says_so(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("---\ntitle: P\nkind: method\n---\n")
    (finding,) = load_pages(page).findings
    assert "is a file, not a folder" in finding.message


def test_config_from_environment_must_exist(monkeypatch) -> None:
    monkeypatch.setenv("ORGBOT_CONFIG", "/no/such/orgbot.toml")
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings()


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("ORGBOT_ANSWER__TRESHOLD", "0.4", "answer.treshold"),
        ("ORGBOT_ANSWER__THRESHOLD", "nan", "finite"),
        ("ORGBOT_ANSWER__THRESHOLD", "1.5", "less than or equal to 1"),
        ("ORGBOT_ANSWER", "{bad", "ORGBOT_"),
    ],
)
def test_bad_settings_are_named(monkeypatch, variable, value, message) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError, match=message):
        load_settings()


def test_toml_paths_of_the_wrong_type_are_settings_errors(tmp_path: Path) -> None:
    config = tmp_path / "orgbot.toml"
    config.write_text("content_dir = 5\n")
    with pytest.raises(ConfigError, match="content_dir"):
        load_settings(config)
