"""Measure retrieval on a question set: ranking quality and the honesty of "no answer".

A question set is JSON lines: {"question", "lang", "answerable", "slugs": [original slugs]}.
Ranking is judged per page (the first passage of each page counts), since a question is
answered by a page, whichever of its sections comes up.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from retrieval.errors import OrgbotError
from retrieval.search.answers import grounded
from retrieval.search.ranking import Hit, Mode

if TYPE_CHECKING:
    from retrieval.service import KnowledgeBase

MODES: tuple[Mode, ...] = ("hybrid", "lexical", "dense")


class QuestionSetError(OrgbotError):
    """The question file cannot be read; the message names the line."""


@dataclass(frozen=True)
class EvalQuestion:
    id: str
    question: str
    lang: str
    answerable: bool
    slugs: tuple[str, ...]


@dataclass(frozen=True)
class Miss:
    id: str
    question: str
    expected: tuple[str, ...]
    got: tuple[str, ...]
    reason: str


@dataclass
class ModeReport:
    mode: str
    answerable: int = 0
    unanswerable: int = 0
    recall: dict[int, float] = field(default_factory=dict)
    mrr: float = 0.0
    ndcg5: float = 0.0
    no_answer_precision: float = 0.0
    no_answer_recall: float = 0.0
    answered_rate: float = 0.0
    misses: list[Miss] = field(default_factory=list)


def read_questions(path: Path) -> list[EvalQuestion]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise QuestionSetError(f"{path}: cannot read it as UTF-8 text ({exc})") from None
    rows = [_question(line, number, path) for number, line in enumerate(lines, 1) if line.strip()]
    if not rows:
        raise QuestionSetError(f"{path}: no questions; write one JSON object per line")
    return rows


def _question(line: str, number: int, path: Path) -> EvalQuestion:
    shape = '{"question": "...", "slugs": ["page-slug"], "answerable": true, "lang": "en"}'
    try:
        data = json.loads(line)
    except ValueError as exc:
        raise QuestionSetError(f"{path}:{number}: not JSON ({exc}); each line is {shape}") from None
    slugs: list[str] = data.get("slugs", []) if isinstance(data, dict) else []
    valid = (
        isinstance(data, dict)
        and isinstance(data.get("question"), str)
        and isinstance(slugs, list)
        and all(isinstance(slug, str) for slug in slugs)
        and isinstance(data.get("answerable", True), bool)
        and isinstance(data.get("lang", "en"), str)
    )
    if not valid:
        raise QuestionSetError(f"{path}:{number}: not a question object; each line is {shape}")
    return EvalQuestion(
        str(data.get("id", number)), data["question"], data.get("lang", "en"),
        data.get("answerable", True), tuple(slugs),
    )  # fmt: skip


def page_ranking(hits: list[Hit]) -> list[str]:
    seen: list[str] = []
    for hit in hits:
        if hit.page.original_slug not in seen:
            seen.append(hit.page.original_slug)
    return seen


def evaluate(
    kb: KnowledgeBase, questions: list[EvalQuestion], mode: Mode, threshold: float | None = None
) -> ModeReport:
    threshold = kb.settings.answer.threshold if threshold is None else threshold
    report = ModeReport(mode)
    reciprocal, ndcg, hits_at = 0.0, 0.0, {1: 0, 3: 0, 5: 0}
    said_no = said_no_right = answered_answerable = 0
    for q in questions:
        hits = kb.search(q.question, lang=q.lang, mode=mode, k=20)
        ranking = page_ranking(hits)
        answered = grounded(hits, threshold)
        if not answered:
            said_no += 1
            said_no_right += not q.answerable
        if not q.answerable:
            report.unanswerable += 1
            if answered:
                report.misses.append(Miss(q.id, q.question, (), tuple(ranking[:3]), "answered"))
            continue
        report.answerable += 1
        answered_answerable += answered
        relevant = set(q.slugs)
        first = next((i for i, slug in enumerate(ranking) if slug in relevant), None)
        for k in hits_at:
            hits_at[k] += first is not None and first < k
        reciprocal += 1 / (first + 1) if first is not None else 0.0
        ndcg += _ndcg(ranking[:5], relevant)
        if first is None or first >= 3:
            report.misses.append(
                Miss(q.id, q.question, q.slugs, tuple(ranking[:3]), "not in top 3")
            )
        elif not answered:
            report.misses.append(Miss(q.id, q.question, q.slugs, tuple(ranking[:3]), "no answer"))
    n = max(report.answerable, 1)
    report.recall = {k: v / n for k, v in hits_at.items()}
    report.mrr = reciprocal / n
    report.ndcg5 = ndcg / n
    report.no_answer_precision = said_no_right / said_no if said_no else 1.0
    report.no_answer_recall = said_no_right / max(report.unanswerable, 1)
    report.answered_rate = answered_answerable / n
    return report


def _ndcg(ranking: list[str], relevant: set[str]) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, slug in enumerate(ranking) if slug in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(relevant), 5)))
    return dcg / ideal if ideal else 0.0
