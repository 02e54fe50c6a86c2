"""Retrieval quality on the development question set, with the bundled model.

Reports the `orgbot eval` figures for hybrid, BM25-only and dense-only search, then the
sweeps used to choose settings: the answer threshold (how honest "no answer" is against how
many answerable questions still get an answer) and the rank-fusion constant.

Run: .venv/bin/python -m bench.quality_bench
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from bench._common import QUESTIONS, ROOT, write_results
from bot.settings import load_settings
from retrieval import MODES, KnowledgeBase, build_index, evaluate, load_embedder, read_questions
from retrieval.search import fusion as search


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="orgbot-quality-"))
    config = work / "orgbot.toml"
    config.write_text(f'content_dir = "{ROOT / "content"}"\nvar_dir = "var"\n')
    settings = load_settings(config).retrieval
    embedder = load_embedder(settings)
    build_index(settings, embedder)
    kb = KnowledgeBase.open(settings, embedder)
    rows = read_questions(QUESTIONS)
    threshold = settings.answer.threshold
    reports = [evaluate(kb, rows, mode) for mode in MODES]
    answerable = reports[0].answerable
    lines = [
        f"Question set: {QUESTIONS.relative_to(ROOT)} — {answerable} answerable, "
        f"{reports[0].unanswerable} unanswerable. Model: {embedder.name}. "
        f"Answer threshold {threshold}.",
        "",
        "| metric | " + " | ".join(r.mode for r in reports) + " |",
        "|---|" + "---:|" * len(reports),
    ]
    metrics = {
        "Recall@1": lambda r: r.recall[1], "Recall@3": lambda r: r.recall[3],
        "Recall@5": lambda r: r.recall[5], "MRR": lambda r: r.mrr, "nDCG@5": lambda r: r.ndcg5,
        "no-answer precision": lambda r: r.no_answer_precision,
        "no-answer recall": lambda r: r.no_answer_recall,
        "answerable questions answered": lambda r: r.answered_rate,
    }  # fmt: skip
    for name, value in metrics.items():
        lines.append(f"| {name} | " + " | ".join(f"{value(r):.3f}" for r in reports) + " |")
    lines += ["", "Targets: Recall@3 ≥ 0.90, MRR ≥ 0.80, hybrid above both halves, "
              "no-answer precision ≥ 0.8.", "", "### Hybrid misses", ""]  # fmt: skip
    for miss in reports[0].misses:
        lines.append(
            f"- {miss.id} ({miss.reason}): {miss.question} — expected "
            f"{', '.join(miss.expected) or 'no answer'}; got {', '.join(miss.got)}"
        )
    lines += ["", "### Answer threshold sweep (hybrid)", "",
              "| threshold | no-answer precision | no-answer recall | answerable answered |",
              "|---:|---:|---:|---:|"]  # fmt: skip
    for value in (0.25, 0.30, 0.33, 0.35, 0.38, 0.40, 0.45, 0.50):
        r = evaluate(kb, rows, "hybrid", threshold=value)
        lines.append(
            f"| {value:.2f} | {r.no_answer_precision:.3f} | {r.no_answer_recall:.3f} | "
            f"{r.answered_rate:.3f} |"
        )
    lines += ["", "### Rank-fusion constant (hybrid)", "", "| k | Recall@1 | Recall@3 | MRR |",
              "|---:|---:|---:|---:|"]  # fmt: skip
    default_k = search.RRF_K
    for k in (10, 30, 60, 100):
        search.RRF_K = k
        r = evaluate(kb, rows, "hybrid")
        lines.append(f"| {k} | {r.recall[1]:.3f} | {r.recall[3]:.3f} | {r.mrr:.3f} |")
    search.RRF_K = default_k
    lines += ["", "### Fusion: reciprocal rank against a weighted score (hybrid)", "",
              "| fusion | Recall@1 | Recall@3 | MRR | nDCG@5 |", "|---|---:|---:|---:|---:|"]  # fmt: skip
    for fusion, weight in (("rrf", 0.0), ("weighted", 0.5), ("weighted", 0.7), ("weighted", 0.85)):
        search.FUSION, search.DENSE_WEIGHT = fusion, weight  # type: ignore[assignment]
        r = evaluate(kb, rows, "hybrid")
        label = (
            f"RRF, k={default_k}"
            if fusion == "rrf"
            else f"{weight:.2f}·cosine + {1 - weight:.2f}·lexical rank"
        )
        lines.append(
            f"| {label} | {r.recall[1]:.3f} | {r.recall[3]:.3f} | {r.mrr:.3f} | {r.ndcg5:.3f} |"
        )
    search.FUSION = "rrf"
    kb.close()
    shutil.rmtree(work, ignore_errors=True)
    write_results("quality", "Retrieval quality", lines)


if __name__ == "__main__":
    main()
