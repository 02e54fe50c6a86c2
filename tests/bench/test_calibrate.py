"""Calibration never lets a question find itself among the precedents, nor a fold its own."""

from __future__ import annotations

import random

import numpy as np

from bench.calibrate import Calibration, choose_thresholds, cross_validated
from retrieval.search.grounding import FEATURES


def twins() -> Calibration:
    """Pairs of identical questions, one answerable and one not, and one lone question: a
    question that could see its own row (or its twin's) would read a likeness of +-1."""
    axes = np.eye(4, dtype=np.float32)
    vectors = np.vstack([axes[0], axes[0], axes[1], axes[1], axes[2]])
    answerable = [True, False, True, False, True]
    pages = ["one-to-ones" if a else "" for a in answerable]
    return Calibration([{} for _ in answerable], answerable, pages, vectors, "enc abc")


def test_each_question_leaves_its_own_row_out() -> None:
    calibration = twins()
    every = np.ones(5, dtype=bool)

    found = calibration.with_precedents(every, range(5))

    # Question 0 (answerable) sees its unanswerable twin at 1.0 and the closest other
    # answerable question at 0.0; its own row at 1.0 would have cancelled that out.
    assert found[0]["like_unanswerable"] == 1.0
    assert found[1]["like_unanswerable"] == -1.0
    assert found[4]["like_unanswerable"] == 0.0  # orthogonal to every other row


def test_a_fold_left_out_is_not_among_the_precedents() -> None:
    calibration = twins()
    known = np.array([True, False, True, True, True])  # question 1 is in the test fold

    found = calibration.with_precedents(known, [0, 1])

    # Without its twin, question 0 finds no unanswerable question close by.
    assert found[0]["like_unanswerable"] == 0.0
    assert found[1]["like_unanswerable"] == -1.0  # it still sees every known row
    kept = calibration.precedents(known)
    assert len(kept.vectors) == 4 and kept.answerable.tolist() == [True, True, False, True]
    # Each kept precedent keeps the page that answers it, to vote with.
    assert kept.pages.tolist() == ["one-to-ones", "one-to-ones", "", "one-to-ones"]


def test_cross_validation_scores_questions_the_fit_never_saw() -> None:
    rng = random.Random(2)
    answerable = [n % 3 != 0 for n in range(90)]
    signals = [
        {name: rng.random() for name in FEATURES}
        | {"closest_passage": rng.gauss(0.65 if a else 0.35, 0.05)}
        for a in answerable
    ]
    vectors = np.eye(90, dtype=np.float32)  # no precedent resembles another
    pages = ["one-to-ones" if a else "" for a in answerable]
    calibration = Calibration(signals, answerable, pages, vectors, "enc abc")

    refused, answered = cross_validated(calibration, folds=3, repeats=2)

    assert refused >= 0.9 and answered >= 0.9
    useless = [s | {"closest_passage": 0.5} for s in signals]
    chance, _ = cross_validated(Calibration(useless, answerable, pages, vectors, "x"), folds=3)
    assert chance < 0.8  # without the telling signal the folds cannot be sorted


def test_english_questions_and_the_others_each_get_the_threshold_that_suits_them() -> None:
    # English answerable questions score 0.5-0.59 and unanswerable ones 0.4; elsewhere 0.8-0.89
    # and 0.7. One threshold low enough for English would answer every unanswerable question
    # in the other languages.
    english = [n < 40 for n in range(80)]
    answerable = [n % 4 != 0 for n in range(80)]
    confidences = [
        (0.5 if e else 0.8) + (0.01 * (n % 10) if a else -0.1)
        for n, (a, e) in enumerate(zip(answerable, english, strict=True))
    ]

    assert choose_thresholds(confidences, answerable, english) == (0.5, 0.8)
    # A group with one kind of question only takes the threshold chosen on all of them.
    assert choose_thresholds(confidences, answerable, [True] * 80) == (0.5, 0.5)
