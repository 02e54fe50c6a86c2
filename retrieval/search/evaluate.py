"""Measure retrieval on a question set: ranking, the right section, the honesty of "no".

A question set is JSON lines: {"question", "lang", "answerable", "slugs": [original slugs]},
and optionally "group" (english, translated, cross-lingual, unanswerable), "kind" and
"sections" (anchors that should be quoted first). Ranking is judged per page (the first
passage of each page counts); a stub counts only when it matches best, as the answer then
names it. Section precision at 1 is judged on the first citation an organiser would see; a
question about a stub is left out of it, since the answer names the unwritten page and quotes
no section (ranking still counts it).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from retrieval.errors import OrgbotError
from retrieval.models import Citation, Question
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
    group: str = ""
    kind: str = ""
    sections: tuple[str, ...] = ()

    @property
    def answered_by(self) -> str:
        """The page that answers it (the first of `slugs`), "" when none does."""
        return self.slugs[0] if self.answerable and self.slugs else ""

    @property
    def groups(self) -> tuple[str, ...]:
        """The report rows this question counts in: its language, and its group if any."""
        return (f"lang {self.lang}", *((f"group {self.group}",) if self.group else ()))


@dataclass(frozen=True)
class Miss:
    id: str
    question: str
    expected: tuple[str, ...]
    got: tuple[str, ...]
    reason: str


@dataclass
class Ranking:
    """Ranking figures for one slice of the answerable questions."""

    questions: int = 0
    recall: dict[int, float] = field(default_factory=lambda: {1: 0.0, 3: 0.0, 5: 0.0})
    mrr: float = 0.0
    ndcg5: float = 0.0

    def add(self, first: int | None, ndcg: float) -> None:
        self.questions += 1
        for k in self.recall:
            self.recall[k] += first is not None and first < k
        self.mrr += 1 / (first + 1) if first is not None else 0.0
        self.ndcg5 += ndcg

    def averaged(self) -> Ranking:
        n = max(self.questions, 1)
        return Ranking(self.questions, {k: v / n for k, v in self.recall.items()},
                       self.mrr / n, self.ndcg5 / n)  # fmt: skip


@dataclass
class ModeReport:
    mode: str
    answerable: int = 0
    unanswerable: int = 0
    recall: dict[int, float] = field(default_factory=dict)
    mrr: float = 0.0
    ndcg5: float = 0.0
    # By "lang xx" and "group yy": the same ranking figures for each slice.
    slices: dict[str, Ranking] = field(default_factory=dict)
    # "No answer" figures come from the answers themselves, so only for hybrid search.
    no_answer_precision: float = 0.0
    no_answer_recall: float = 0.0
    answered_rate: float = 0.0
    # Section precision at 1 by language: (share right, share right when the page is right,
    # questions).
    sections: dict[str, tuple[float, float, int]] = field(default_factory=dict)
    # Section precision at 1 by language counting only the anchors a question names (on the
    # original page; a translation's section still counts by its kind).
    strict_sections: dict[str, float] = field(default_factory=dict)
    misses: list[Miss] = field(default_factory=list)


def read_questions(*paths: Path) -> list[EvalQuestion]:
    rows = [row for path in paths for row in _read(path)]
    if not rows:
        raise QuestionSetError(f"{paths[0]}: no questions; write one JSON object per line")
    return rows


def _read(path: Path) -> list[EvalQuestion]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise QuestionSetError(f"{path}: cannot read it as UTF-8 text ({exc})") from None
    return [_question(line, number, path) for number, line in enumerate(lines, 1) if line.strip()]


def _question(line: str, number: int, path: Path) -> EvalQuestion:
    shape = '{"question": "...", "slugs": ["page-slug"], "answerable": true, "lang": "en"}'
    try:
        data = json.loads(line)
    except ValueError as exc:
        raise QuestionSetError(f"{path}:{number}: not JSON ({exc}); each line is {shape}") from None
    slugs: list[str] = data.get("slugs", []) if isinstance(data, dict) else []
    sections = data.get("sections", []) if isinstance(data, dict) else []
    valid = (
        isinstance(data, dict)
        and isinstance(data.get("question"), str)
        and _strings(slugs)
        and _strings(sections)
        and isinstance(data.get("answerable", True), bool)
        and all(isinstance(data.get(key, ""), str) for key in ("lang", "group", "kind"))
    )
    if not valid:
        raise QuestionSetError(f"{path}:{number}: not a question object; each line is {shape}")
    return EvalQuestion(
        str(data.get("id", number)), data["question"], data.get("lang", "en"),
        data.get("answerable", True), tuple(slugs), data.get("group", ""),
        data.get("kind", ""), tuple(sections),
    )  # fmt: skip


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def page_ranking(hits: Iterable[Hit]) -> list[str]:
    seen: list[str] = []
    for hit in hits:
        if hit.page.original_slug not in seen:
            seen.append(hit.page.original_slug)
    return seen


def evaluate(
    kb: KnowledgeBase, questions: list[EvalQuestion], mode: Mode, threshold: float | None = None
) -> ModeReport:
    report = ModeReport(mode)
    overall = Ranking()
    slices: dict[str, Ranking] = {}
    said_no = said_no_right = answered_answerable = 0
    section_counts: dict[str, list[int]] = {}
    for q in questions:
        ranking = page_ranking(kb.search(q.question, lang=q.lang, mode=mode, k=20))
        answer = None
        if mode == "hybrid":
            answer = kb.ask(Question(q.question, lang=q.lang, threshold=threshold))
            answered = answer.answered or answer.unwritten is not None
            said_no += not answered
            said_no_right += not answered and not q.answerable
        if not q.answerable:
            report.unanswerable += 1
            if answer is not None and answered:
                report.misses.append(Miss(q.id, q.question, (), tuple(ranking[:3]), "answered"))
            continue
        report.answerable += 1
        relevant = set(q.slugs)
        first = next((i for i, slug in enumerate(ranking) if slug in relevant), None)
        ndcg = _ndcg(ranking[:5], relevant)
        overall.add(first, ndcg)
        for name in q.groups:
            slices.setdefault(name, Ranking()).add(first, ndcg)
        if first is None or first >= 3:
            report.misses.append(
                Miss(q.id, q.question, q.slugs, tuple(ranking[:3]), "not in top 3")
            )
        if answer is None:
            continue
        answered_answerable += answered
        if not answered:
            report.misses.append(Miss(q.id, q.question, q.slugs, tuple(ranking[:3]), "no answer"))
        judged = first_citation(kb, answer.citations, q)
        if judged is not None:
            counts = section_counts.setdefault(q.lang, [0, 0, 0, 0])
            counts[0] += 1
            counts[1] += judged.section
            counts[2] += judged.page
            counts[3] += judged.named_section
    averaged = overall.averaged()
    report.recall, report.mrr, report.ndcg5 = averaged.recall, averaged.mrr, averaged.ndcg5
    report.slices = {name: r.averaged() for name, r in sorted(slices.items())}
    report.no_answer_precision = said_no_right / said_no if said_no else 1.0
    report.no_answer_recall = said_no_right / max(report.unanswerable, 1)
    report.answered_rate = answered_answerable / max(report.answerable, 1)
    report.sections = {
        lang: (right / n, right / max(page, 1), n)
        for lang, (n, right, page, _) in sorted(section_counts.items())
    }
    report.strict_sections = {
        lang: strict / n for lang, (n, _, _, strict) in sorted(section_counts.items())
    }
    return report


@dataclass(frozen=True)
class FirstCitation:
    """How right the first citation of an answer is, for a section-labelled question."""

    page: bool  # it is from the expected page (or its translation)
    section: bool  # ... and of an expected section (`_right_section`)
    named_section: bool  # ... counting only the anchors the question names


def first_citation(
    kb: KnowledgeBase, citations: Sequence[Citation], q: EvalQuestion
) -> FirstCitation | None:
    """The first of `citations` judged against `q`; None when section precision leaves `q`
    out (no expected sections, or a stub, whose answer names the page and quotes none)."""
    if not q.sections or _is_stub(kb, q.slugs[0]):
        return None
    top = citations[0] if citations else None
    if top is None or _original(kb, top.slug) != q.slugs[0]:
        return FirstCitation(False, False, False)
    return FirstCitation(True, _right_section(kb, top, q), _right_section(kb, top, q, True))


def _right_section(kb: KnowledgeBase, top: Citation, q: EvalQuestion, strict: bool = False) -> bool:
    """The first citation is a section the question expects. Questions name the original's
    anchors; a translation's headings are its own ("So setzt ihr es ein"), so one of its
    sections is right when it is of the kind of an expected section of the original.

    A question that asks what something is (an expected section of the definition kind) is
    answered by any section of the page that says so: its summary, its lead ("Overview") or
    a source's "What it is". Writers named one or two of them, whichever they saw first;
    `strict` counts only those."""
    if top.anchor in q.sections:
        return True
    kinds = kb.build.section_kinds
    cited = kinds(top.slug).get(top.anchor)
    expected = {kinds(q.slugs[0]).get(anchor) for anchor in q.sections}
    if cited is None or cited not in expected:
        return False
    return top.slug != q.slugs[0] or (cited == "definition" and not strict)


def _is_stub(kb: KnowledgeBase, slug: str) -> bool:
    found = kb.page(slug)
    return found is not None and found[0].status == "stub"


def _original(kb: KnowledgeBase, slug: str) -> str:
    found = kb.page(slug)
    return found[0].original_slug if found else slug


def _ndcg(ranking: list[str], relevant: set[str]) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, slug in enumerate(ranking) if slug in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(relevant), 5)))
    return dcg / ideal if ideal else 0.0
