"""Answer quality with the bundled encoders, on questions calibration saw and on ones it never saw.

Reports, for the development questions (bench.calibrate.CALIBRATION, which tuning and
`bench.calibrate` used) and the held-out sets used by nothing but this report (HELD_OUT:
tests/eval/unseen18.jsonl, written by someone who had seen no answers and first run after the
tuning it reports on; with several sets, each is also reported alone):

- ranking per language and per group (English, cross-lingual, translated): Recall@1/3/5, MRR;
- section precision at 1 per language, overall and when the page is right;
- "no answer" precision and recall, and the share of answerable questions still answered;
- the grounding signals compared, by cross-validation on the calibration questions;
- the fusion plans compared (which rankings are fused for English and other questions).

Run: .venv/bin/python -m bench.quality_bench [--var-dir DIR]
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

import numpy as np

from bench._common import ROOT, bundled_kb, write_results
from bench.calibrate import (
    CALIBRATION,
    calibration_signals,
    cross_validated,
    fold_masks,
    learned_intent,
    question_vectors,
)
from retrieval import KnowledgeBase, evaluate
from retrieval.embedding.base import signature
from retrieval.search import fusion
from retrieval.search.evaluate import EvalQuestion, ModeReport, read_questions
from retrieval.search.grounding import FEATURES
from retrieval.search.precedents import Precedents

EVAL = ROOT / "tests" / "eval"
DEV = CALIBRATION
HELD_OUT = [EVAL / "unseen18.jsonl"]
# A held-out question this close (USE cosine) to a development question is nearly that
# question, which is among the precedents: the held-out figures are also given without them.
NEAR_TWIN = 0.85
# Subsets of the grounding signals, to show what each adds.
SIGNALS = {
    "the best passage's cosine alone": ("closest_passage",),
    "every signal but off_scope and like_unanswerable": tuple(
        f for f in FEATURES if f not in ("off_scope", "like_unanswerable")
    ),
    "every signal but like_unanswerable": tuple(f for f in FEATURES if f != "like_unanswerable"),
    "every signal (chosen)": FEATURES,
}
PLANS = {
    "English: MiniLM + BM25; other: USE": (("english", "lexical"), ("multilingual",)),
    "English: MiniLM + USE + BM25; other: USE (chosen)": (
        ("english", "multilingual", "lexical"),
        ("multilingual",),
    ),
    "English: MiniLM + USE + BM25; other: USE + BM25": (
        ("english", "multilingual", "lexical"),
        ("multilingual", "lexical"),
    ),
    "all questions: MiniLM + USE + BM25": (("english", "multilingual", "lexical"),) * 2,
    "all questions: MiniLM + USE": (("english", "multilingual"),) * 2,
    "all questions: USE alone": (("multilingual",),) * 2,
}


def ranking_table(reports: dict[str, ModeReport]) -> list[str]:
    names = sorted({name for r in reports.values() for name in r.slices})
    lines = [
        "| slice | " + " | ".join(f"{label} R@1 / R@3 / MRR (n)" for label in reports) + " |",
        "|---|" + "---:|" * len(reports),
    ]
    for name in ["all", *names]:
        cells = []
        for report in reports.values():
            if name == "all":
                r1, r3, mrr, n = report.recall[1], report.recall[3], report.mrr, report.answerable
            elif name in report.slices:
                s = report.slices[name]
                r1, r3, mrr, n = s.recall[1], s.recall[3], s.mrr, s.questions
            else:
                cells.append("—")
                continue
            cells.append(f"{r1:.3f} / {r3:.3f} / {mrr:.3f} ({n})")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def section_table(reports: dict[str, ModeReport]) -> list[str]:
    langs = sorted({lang for r in reports.values() for lang in r.sections})
    lines = [
        "| language | "
        + " | ".join(
            f"{label}: P@1 / when the page is right / named anchors only (n)" for label in reports
        )
        + " |",
        "|---|" + "---:|" * len(reports),
    ]
    for lang in langs:
        cells = []
        for report in reports.values():
            found = report.sections.get(lang)
            strict = report.strict_sections.get(lang, 0.0)
            cells.append(
                f"{found[0]:.3f} / {found[1]:.3f} / {strict:.3f} ({found[2]})" if found else "—"
            )
        lines.append(f"| {lang} | " + " | ".join(cells) + " |")
    return lines


def honesty_table(reports: dict[str, ModeReport]) -> list[str]:
    lines = [
        "| questions | no-answer precision | no-answer recall | answerable answered |",
        "|---|---:|---:|---:|",
    ]
    for label, r in reports.items():
        lines.append(
            f"| {label} ({r.answerable} answerable, {r.unanswerable} unanswerable) | "
            f"{r.no_answer_precision:.3f} | {r.no_answer_recall:.3f} | {r.answered_rate:.3f} |"
        )
    return lines


def plans_table(kb: KnowledgeBase, dev: list[EvalQuestion], held: list[EvalQuestion]) -> list[str]:
    lines = [
        "| fusion plan | English R@3 / MRR (dev) | cross-lingual R@3 / MRR (dev) "
        "| cross-lingual R@3 / MRR (held out) |",
        "|---|---:|---:|---:|",
    ]
    # Only the questions the table reports on: each plan costs a pass over them.
    dev = [q for q in dev if q.answerable and (q.lang == "en" or q.group == "cross-lingual")]
    held = [q for q in held if q.answerable and q.group == "cross-lingual"]
    chosen = dict(fusion.PLANS)
    for label, (english, other) in PLANS.items():
        fusion.PLANS = {"en": english, "other": other}
        d, h = evaluate(kb, dev, "hybrid"), evaluate(kb, held, "hybrid")
        cells = [_slice(d, "lang en"), _slice(d, "group cross-lingual"),
                 _slice(h, "group cross-lingual")]  # fmt: skip
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    fusion.PLANS = chosen
    return lines


def _slice(report: ModeReport, name: str) -> str:
    s = report.slices.get(name)
    return f"{s.recall[3]:.3f} / {s.mrr:.3f}" if s else "—"


def targets(original: ModeReport, held: dict[str, ModeReport]) -> list[str]:
    """Each target of the multilingual-answers issue against what was measured: English on
    the original development set (questions.jsonl, as the issue states it), the others on
    each held-out set; "—" where a set has no such questions."""
    columns = ["questions.jsonl", *held]
    english = original.slices["lang en"]

    def on_held(value: Callable[[ModeReport], float | None]) -> dict[str, float | None]:
        return {label: value(report) for label, report in held.items()}

    def cross(report: ModeReport) -> float | None:
        found = report.slices.get("group cross-lingual")
        return found.recall[3] if found else None

    rows: list[tuple[str, dict[str, float | None], float]] = [
        ("English Recall@3", {columns[0]: english.recall[3]}, 0.95),
        ("English MRR", {columns[0]: english.mrr}, 0.90),
        ("cross-lingual right page in top 3", on_held(cross), 0.90),
        ("unanswerable given no answer", on_held(lambda r: r.no_answer_recall), 0.85),
        ("answerable still answered", on_held(lambda r: r.answered_rate), 0.95),
    ]
    for lang in sorted({lang for r in held.values() for lang in r.sections}):
        found = {label: r.sections[lang][0] for label, r in held.items() if lang in r.sections}
        rows.append((f"section precision at 1, {lang}", dict(found), 0.80))
    lines = [
        "| target | " + " | ".join(f"measured ({label})" for label in columns) + " | goal |",
        "|---|" + "---:|" * (len(columns) + 1),
    ]
    for name, values, goal in rows:
        cells = []
        for label in columns:
            value = values.get(label)
            met = "met" if value is not None and value >= goal else "MISSED"
            cells.append("—" if value is None else f"{value:.3f} {met}")
        lines.append(f"| {name} | " + " | ".join(cells) + f" | ≥ {goal:.2f} |")
    return lines


def signals_table(kb: KnowledgeBase) -> list[str]:
    """What each grounding signal adds, on calibration questions each fit never saw."""
    calibration = calibration_signals(kb)
    lines = [
        "| signals | unanswerable refused | answerable answered |",
        "|---|---:|---:|",
    ]
    for label, features in SIGNALS.items():
        refused, answered = cross_validated(calibration, features)
        lines.append(f"| {label} | {refused:.3f} | {answered:.3f} |")
    return lines


def sections_cross_validated(
    kb: KnowledgeBase, dev: list[EvalQuestion], vectors: np.ndarray
) -> list[str]:
    """Section P@1 of the development questions (`vectors`: theirs, `question_vectors`) with
    the section-intent model and the precedents made from the other four fifths each time
    (both hold all of them otherwise)."""
    counts: dict[str, list[float]] = {}
    encoder = kb.intents.encoder
    labels = np.array([q.answerable for q in dev], dtype=bool)
    pages = np.array([q.answered_by for q in dev], dtype=np.str_)
    fitted = kb.intents.learned, kb.precedents
    try:
        for known in fold_masks(len(dev), 5, seed=0):
            kb.intents.learned = learned_intent(kb, [q for i, q in enumerate(dev) if known[i]])
            kb.precedents = Precedents(
                vectors[known], labels[known], pages[known], signature(encoder)
            )
            found = evaluate(kb, [q for i, q in enumerate(dev) if not known[i]], "hybrid").sections
            for lang, (p1, _, n) in found.items():
                total = counts.setdefault(lang, [0.0, 0])
                total[0] += p1 * n
                total[1] += n
    finally:
        kb.intents.learned, kb.precedents = fitted
    return [
        "| language | section P@1, development questions, 5-fold (n) |",
        "|---|---:|",
        *(f"| {lang} | {hits / n:.3f} ({n:.0f}) |" for lang, (hits, n) in sorted(counts.items())),
    ]


def without_near_twins(
    kb: KnowledgeBase, held: list[EvalQuestion], dev_vectors: np.ndarray
) -> list[EvalQuestion]:
    """The held-out questions with no development question within NEAR_TWIN cosine."""
    held_vectors = question_vectors(kb, [q.question for q in held])
    closest = (held_vectors @ dev_vectors.T).max(axis=1)
    return [q for q, c in zip(held, closest, strict=True) if c < NEAR_TWIN]


def misses(report: ModeReport, limit: int = 40) -> list[str]:
    return [
        f"- {m.id} ({m.reason}): {m.question} — expected {', '.join(m.expected) or 'no answer'};"
        f" got {', '.join(m.got)}"
        for m in report.misses[:limit]
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--var-dir", type=Path, help="Reuse (or keep) the index built here.")
    args = parser.parse_args()
    kb = bundled_kb(args.var_dir, "orgbot-quality-")
    encoders = kb.encoders
    dev, held = read_questions(*DEV), read_questions(*HELD_OUT)
    # Embedded once for the near-twin filter and the section cross-validation.
    dev_vectors = question_vectors(kb, [q.question for q in dev])
    novel = without_near_twins(kb, held, dev_vectors)
    old = read_questions(DEV[0])
    hybrid = {
        "dev": evaluate(kb, dev, "hybrid"), "held out": evaluate(kb, held, "hybrid"),
        "held out, no near twin": evaluate(kb, novel, "hybrid"),
    }  # fmt: skip
    if len(HELD_OUT) > 1:  # each set alone too: one writer's style can carry a whole set
        for path in HELD_OUT:
            hybrid[f"held out: {path.name}"] = evaluate(kb, read_questions(path), "hybrid")
    halves = {
        "hybrid": hybrid["dev"], "BM25 only": evaluate(kb, dev, "lexical"),
        "dense only": evaluate(kb, dev, "dense"),
    }  # fmt: skip
    original = evaluate(kb, old, "hybrid")
    grounding = kb.answerer.grounding
    calibration = (
        f"calibrated, threshold {grounding.threshold} for English questions, "
        f"{grounding.threshold_for('de')} for the others ({grounding.fitted_on})."
        if grounding
        else "uncalibrated cosine."
    )
    lines = [
        f"Encoders: {', '.join(f'{role} {e.name}' for role, e in encoders.roles())}. "
        f"Fusion: {fusion.PLANS}. Grounding: {calibration}",
        "",
        f"Development questions (used for tuning and calibration): {len(dev)} "
        f"({', '.join(str(p.relative_to(ROOT)) for p in DEV)}). Held-out questions (never used "
        f"for tuning or calibration): {len(held)} "
        f"({', '.join(str(p.relative_to(ROOT)) for p in HELD_OUT)}, each written by "
        "someone who had seen no answers and first run after all tuning). Earlier held-out "
        "sets were reported once each (bench/results/quality-first-fresh.md to "
        "quality-seventeenth-fresh.md) and then "
        "joined the development questions. The development questions are also the "
        "precedents (retrieval/search/precedents.py): each one finds itself there, so the "
        "development column of the honest-no table flatters; the cross-validated signals "
        "table is the development figure to trust.",
        "",
        "## Ranking (hybrid search): Recall@1 / Recall@3 / MRR (questions)",
        "",
        *ranking_table(hybrid),
        "",
        f"The original development set alone ({DEV[0].relative_to(ROOT)}): "
        + _slice(original, "lang en")
        + " English R@3 / MRR.",
        "",
        "## Targets",
        "",
        *targets(original, {k: v for k, v in hybrid.items() if k != "dev"}),
        "",
        f"{len(held) - len(novel)} held-out questions have a development question within "
        f"{NEAR_TWIN} cosine (the same question in other words, or word for word); the "
        "third column leaves them out.",
        "",
        "## Hybrid against its halves (development questions)",
        "",
        *ranking_table(halves),
        "",
        "## The right section first: precision at 1 of the first citation",
        "",
        *section_table(hybrid),
        "",
        "A question that asks what something is counts as answered by any section of the page "
        'of the definition kind (summary, lead, a source\'s "What it is"); the third figure '
        "counts only the anchors its writer named (a translation's section by its kind, as "
        "before).",
        "",
        "The section-intent model (retrieval/search/learned_intent.py) is fitted on the "
        "development questions, so their column above flatters; fitted on four fifths and "
        "measured on the fifth it never saw:",
        "",
        *sections_cross_validated(kb, dev, dev_vectors),
        "",
        '## Honest "no"',
        "",
        *honesty_table(hybrid),
        "",
        "Signals compared: 5-fold cross-validation repeated over 5 shuffles of the "
        "calibration questions (each fold fitted and thresholded on the other four).",
        "",
        *signals_table(kb),
        "",
        "## Fusion plans compared",
        "",
        *plans_table(kb, dev, held),
        "",
        "## Held-out misses",
        "",
        *misses(hybrid["held out"], limit=60),
    ]
    kb.close()
    write_results("quality", "Answer quality", lines)


if __name__ == "__main__":
    main()
