"""Real questions, the bundled model, the bundled wiki: the answers an organiser gets."""

from __future__ import annotations

import pytest

from retrieval import KnowledgeBase, Question, evaluate, read_questions
from tests.paths import QUESTIONS

pytestmark = pytest.mark.model


def test_real_questions_find_the_right_pages(bundled_kb: KnowledgeBase) -> None:
    cases = {
        "how do I run a one-to-one?": "one-to-ones",
        "what is a power map": "power-mapping",
        "when was the salt march": "case-studies/salt-march",
        "how do we keep our signal group safe": "digital-security",
    }
    for question, slug in cases.items():
        answer = bundled_kb.ask(Question(question))
        assert answer.answered, question
        assert slug in [c.slug for c in answer.citations], (question, answer.citations)


def test_off_topic_question_gets_no_answer(bundled_kb: KnowledgeBase) -> None:
    answer = bundled_kb.ask(Question("best pizza dough recipe?"))
    assert not answer.answered and answer.citations == ()


def test_german_question_gets_the_german_page(bundled_kb: KnowledgeBase) -> None:
    answer = bundled_kb.ask(
        Question("Wie erstelle ich eine Machtanalyse für unsere Kampagne?", lang="de")
    )
    assert answer.citations[0].slug == "de/power-mapping"


def test_quality_on_the_question_set_meets_targets(bundled_kb: KnowledgeBase) -> None:
    rows = read_questions(QUESTIONS)
    assert len(rows) >= 80 and sum(not r.answerable for r in rows) >= 8
    hybrid, lexical, dense = (
        evaluate(bundled_kb, rows, mode) for mode in ("hybrid", "lexical", "dense")
    )
    assert hybrid.recall[3] >= 0.90
    assert hybrid.mrr >= 0.80
    assert hybrid.mrr > max(lexical.mrr, dense.mrr)
    assert hybrid.no_answer_precision >= 0.8
