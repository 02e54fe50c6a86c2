"""The knowledge base on its worker thread: batching, errors, the calls besides questions."""

from __future__ import annotations

import asyncio

import pytest

from retrieval import AsyncKnowledgeBase, Question


async def test_worker_batches_concurrent_questions_and_keeps_them_apart(kb) -> None:
    worker = AsyncKnowledgeBase(kb)
    try:
        questions = ["house visits door", "rent pledge withhold"] * 10
        answers = await asyncio.gather(*(worker.ask(Question(q)) for q in questions))
        assert [a.question for a in answers] == questions
        assert {a.citations[0].slug for a in answers[::2]} == {"house-visits"}
        assert {a.citations[0].slug for a in answers[1::2]} == {"rent-pledges"}
        assert max(worker.batches) > 1
        assert (await worker.reload()).switched is False
    finally:
        worker.close()


async def test_worker_passes_errors_to_the_caller(kb, monkeypatch) -> None:
    worker = AsyncKnowledgeBase(kb)

    def broken(_questions):
        raise RuntimeError("model crashed")

    monkeypatch.setattr(kb, "ask_batch", broken)
    try:
        with pytest.raises(RuntimeError, match="model crashed"):
            await worker.ask(Question("anything"))
    finally:
        worker.close()


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
            worker.ask(Question("house visits door")),
            worker.ask(Question("boom")),
            worker.ask(Question("rent pledge")),
            return_exceptions=True,
        )
    finally:
        worker.close()
    assert results[0].citations[0].slug == "house-visits"
    assert isinstance(results[1], ValueError)
    assert results[2].citations[0].slug == "rent-pledges"
