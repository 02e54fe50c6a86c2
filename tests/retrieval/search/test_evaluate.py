"""Reading a question set for `orgbot eval`: bad files are refused with their line."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval import QuestionSetError, read_questions


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
