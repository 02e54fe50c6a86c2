"""Try a ranking constant by 5-fold cross-validation on the development questions.

Each fold refits the section-intent model and the precedents on the other four folds, then
asks the fold's questions: page Recall@1 / @3 and section precision at 1 per language, and
the shares refused and answered (with the grounding model as shipped). `--near-twin C`
also leaves out of the precedents every development question within cosine C of the one
asked, as the quality benchmark's "no near twin" figures do: the development sets hold many
near twins, which flatter the precedents. `--set NAME=VALUE` changes a constant of a
`retrieval.search` module first (e.g. `--set PRECEDENT_WEIGHT=0.02`); `--rows FILE` writes
one JSON row a question, which `--compare FILE` sets against another run's.

A run takes ~8 minutes on 2 cores; run one at a time (two crawl, each spinning its encoder's
threads). Run: .venv/bin/python -m bench.ranking_cv [--var-dir DIR] [--set NAME=VALUE ...]
"""

from __future__ import annotations

import argparse
import importlib
import json
from pathlib import Path
from typing import Any

import numpy as np

from bench._common import bundled_kb
from bench.calibrate import CALIBRATION, Calibration, fold_masks, learned_intent, question_vectors
from bench.quality_bench import NEAR_TWIN
from retrieval import KnowledgeBase, Question
from retrieval.embedding.base import signature
from retrieval.search import evaluate
from retrieval.search.evaluate import EvalQuestion, read_questions

MODULES = ("ranking", "precedents", "sections", "fusion", "answers", "learned_intent")
LANGS = ("de", "en", "es", "fr")


def set_constant(assignment: str) -> None:
    """NAME=VALUE: the constant NAME of the first `retrieval.search` module that has it, in
    that constant's type."""
    name, _, value = assignment.partition("=")
    for module_name in MODULES:
        module = importlib.import_module(f"retrieval.search.{module_name}")
        if hasattr(module, name):
            old = getattr(module, name)
            if isinstance(old, bool) or not isinstance(old, int | float | str):
                raise SystemExit(f"{name} is not a number or a string; change it in the code")
            setattr(module, name, type(old)(value))
            print(f"{module_name}.{name}: {old} -> {getattr(module, name)}")
            return
    raise SystemExit(f"no retrieval.search module has a constant {name}")


def asked(kb: KnowledgeBase, q: EvalQuestion) -> dict[str, Any]:
    """One question's row: whether it was answered, its page's rank, its first citation."""
    answer = kb.ask(Question(q.question, lang=q.lang))
    row: dict[str, Any] = {
        "id": q.id, "lang": q.lang, "group": q.group, "answerable": q.answerable,
        "answered": answer.answered or answer.unwritten is not None,
    }  # fmt: skip
    if not q.answerable:
        return row
    ranking = evaluate.page_ranking(kb.search(q.question, lang=q.lang, k=20))
    row["rank"] = next((i for i, slug in enumerate(ranking) if slug in q.slugs), None)
    row["top"] = ranking[:3]
    judged = evaluate.first_citation(kb, answer.citations, q)
    if judged is not None:
        row["section"] = judged.section
    return row


def cross_validate(kb: KnowledgeBase, near_twin: float) -> list[dict[str, Any]]:
    questions = read_questions(*CALIBRATION)
    vectors = question_vectors(kb, [q.question for q in questions])
    answerable = [q.answerable for q in questions]
    pages = [q.answered_by for q in questions]
    calibration = Calibration([], answerable, pages, vectors, signature(kb.intents.encoder))
    rows = []
    for fold, known in enumerate(fold_masks(len(questions), 5, seed=0)):
        seen = [q for q, k in zip(questions, known, strict=True) if k]
        kb.intents.learned = learned_intent(kb, seen)
        kb.precedents = calibration.precedents(known)
        for i in np.flatnonzero(~known):
            if near_twin:
                kb.precedents = calibration.precedents(known & (vectors @ vectors[i] < near_twin))
            # Ids repeat across the files; a question's place in CALIBRATION does not.
            rows.append({"n": int(i)} | asked(kb, questions[i]))
        print(f"fold {fold + 1} of 5 done")
    return rows


def report(rows: list[dict[str, Any]]) -> None:
    for lang in LANGS:
        ranked = [r for r in rows if r["lang"] == lang and r["answerable"]]
        at = [r["rank"] for r in ranked]
        sections = [r["section"] for r in ranked if "section" in r]
        print(
            f"{lang}: page R@1 {np.mean([a == 0 for a in at]):.3f}, R@3 "
            f"{np.mean([a is not None and a < 3 for a in at]):.3f}; section P@1 "
            f"{np.mean(sections):.3f} of {len(sections)}"
        )
    refused = np.mean([not r["answered"] for r in rows if not r["answerable"]])
    answered = np.mean([r["answered"] for r in rows if r["answerable"]])
    print(f"refused {refused:.3f}, answered {answered:.3f}")


def compare(rows: list[dict[str, Any]], other: list[dict[str, Any]]) -> None:
    """Per language, how many questions this run got right that the other did not, and the
    reverse, for the page first and the section first."""
    theirs = {(r.get("n"), r["id"]): r for r in other}

    def page_first(row: dict[str, Any]) -> bool:
        return bool(row.get("rank") == 0)

    def section_first(row: dict[str, Any]) -> bool:
        return bool(row.get("section", False))

    for key, right in (("page first", page_first), ("section first", section_first)):
        for lang in LANGS:
            mine = [r for r in rows if r["lang"] == lang and r["answerable"]]
            pairs = [(r, theirs[(r["n"], r["id"])]) for r in mine if (r["n"], r["id"]) in theirs]
            won = sum(right(a) and not right(b) for a, b in pairs)
            lost = sum(right(b) and not right(a) for a, b in pairs)
            print(f"{key} {lang}: +{won} -{lost} against the other run")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--var-dir", type=Path, help="Reuse (or keep) the index built here.")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument(
        "--near-twin", type=float, default=NEAR_TWIN, help="0 keeps every precedent"
    )
    parser.add_argument("--rows", type=Path, help="Write one JSON row a question here.")
    parser.add_argument("--compare", type=Path, help="Rows of an earlier run to compare.")
    args = parser.parse_args()
    for assignment in args.set:
        set_constant(assignment)
    kb = bundled_kb(args.var_dir, "orgbot-ranking-cv-")
    rows = cross_validate(kb, args.near_twin)
    report(rows)
    if args.rows:
        args.rows.write_text(json.dumps(rows), encoding="utf-8")
    if args.compare:
        compare(rows, json.loads(args.compare.read_text(encoding="utf-8")))


if __name__ == "__main__":
    main()
