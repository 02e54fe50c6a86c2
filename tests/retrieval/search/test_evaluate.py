"""Reading a question set for `orgbot eval` (bad files are refused with their line), and which
first citation counts as the right section."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval import QuestionSetError, read_questions
from retrieval.models import Citation
from retrieval.search.evaluate import EvalQuestion, FirstCitation, _right_section, first_citation


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


def citation(slug: str, anchor: str) -> Citation:
    return Citation(slug, slug, anchor, "method", "established", "core", "en", "…", 0.5,
                    anchor=anchor)  # fmt: skip


def asking(anchors: tuple[str, ...]) -> EvalQuestion:
    return EvalQuestion("t1", "what is a house visit?", "en", True, ("house-visits",),
                        group="english", kind="definition", sections=anchors)  # fmt: skip


def test_a_what_is_question_is_answered_by_any_section_that_says_what_it_is(kb) -> None:
    kinds = kb.build.section_kinds("house-visits")
    assert kinds["summary"] == kinds["overview"] == "definition"
    named_summary = asking(("summary",))
    assert _right_section(kb, citation("house-visits", "summary"), named_summary)
    assert _right_section(kb, citation("house-visits", "overview"), named_summary)
    assert not _right_section(kb, citation("house-visits", "overview"), named_summary, True)
    # Only the definition kind is interchangeable: the steps do not answer "what is it?",
    # and a risk question is not answered by another section of any kind.
    assert not _right_section(kb, citation("house-visits", "how-to-use-it"), named_summary)
    risks = asking(("potential-risks",))
    assert not _right_section(kb, citation("house-visits", "how-it-works"), risks)


def test_the_first_citation_is_judged_by_page_then_section(kb) -> None:
    named_summary = asking(("summary",))

    right = first_citation(kb, [citation("house-visits", "summary")], named_summary)
    lead = first_citation(kb, [citation("house-visits", "overview")], named_summary)
    elsewhere = first_citation(kb, [citation("power-mapping", "summary")], named_summary)

    assert right == FirstCitation(page=True, section=True, named_section=True)
    assert lead == FirstCitation(page=True, section=True, named_section=False)
    assert elsewhere == first_citation(kb, [], named_summary) == FirstCitation(False, False, False)
    assert first_citation(kb, [citation("house-visits", "summary")], asking(())) is None
