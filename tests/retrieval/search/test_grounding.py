"""The grounding model: fitted on signals, stored beside the code, refused when out of date."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from retrieval import KnowledgeBase, Question
from retrieval.search.grounding import FEATURES, GroundingModel, fit


def signals(answerable: bool, rng: random.Random) -> dict[str, float]:
    """Signals where an answerable question's best passage is closer and it asks in scope."""
    found = {name: rng.random() for name in FEATURES}
    found["closest_passage"] = rng.gauss(0.6 if answerable else 0.4, 0.05)
    found["off_scope"] = rng.gauss(-0.05 if answerable else 0.1, 0.03)
    return found


def test_the_fit_learns_which_signals_tell_answerable_questions_apart() -> None:
    rng = random.Random(7)
    labels = [n % 3 != 0 for n in range(150)]
    rows = [signals(label, rng) for label in labels]

    mean, scale, weights = fit(rows, labels)
    model = GroundingModel({}, mean, scale, weights, 0.5, "")

    by_name = dict(zip(FEATURES, weights[1:], strict=True))
    assert by_name["closest_passage"] > 0 > by_name["off_scope"]
    unseen = [(signals(label, rng), label) for label in (True, False) * 20]
    right = sum((model.confidence(s) >= 0.5) == label for s, label in unseen)
    assert right >= 38


def test_a_fit_over_some_signals_reads_only_those() -> None:
    rng = random.Random(3)
    labels = [n % 2 == 0 for n in range(60)]
    rows = [signals(label, rng) for label in labels]
    mean, scale, weights = fit(rows, labels, features=("closest_passage",))
    model = GroundingModel({}, mean, scale, weights, 0.5, "", features=("closest_passage",))

    assert len(weights) == 2
    assert (
        model.confidence({"closest_passage": 0.7})
        > 0.5
        > model.confidence({"closest_passage": 0.3})
    )


def test_the_stored_model_round_trips_and_an_older_one_is_not_used(tmp_path: Path) -> None:
    path = tmp_path / "grounding.json"
    model = GroundingModel(
        {"english": "minilm"}, tuple(0.0 for _ in FEATURES), tuple(1.0 for _ in FEATURES),
        tuple(0.1 for _ in range(len(FEATURES) + 1)), 0.6, "fitted on test rows", 0.7,
    )  # fmt: skip
    model.save(path)

    assert GroundingModel.load(path) == model
    assert model.threshold_for("en") == 0.6 and model.threshold_for("de") == 0.7
    assert model.suits({"english": "minilm"}) and not model.suits({"english": "other"})
    older = json.loads(path.read_text(encoding="utf-8"))
    older["features"] = [f for f in FEATURES if f != "off_scope"]
    path.write_text(json.dumps(older), encoding="utf-8")
    assert GroundingModel.load(path) is None  # fitted without a signal it now needs
    path.write_text("{not json", encoding="utf-8")
    assert GroundingModel.load(path) is None


def test_without_a_threshold_of_their_own_other_languages_share_the_english_one() -> None:
    model = GroundingModel({}, (), (), (0.0,), 0.6, "", features=())

    assert model.threshold_for("fr") == model.threshold_for("en") == 0.6


@pytest.mark.model
def test_german_nouns_are_not_taken_for_names_the_page_lacks(bundled_kb: KnowledgeBase) -> None:
    # Every noun is capitalised in German: "Mieter" and "Miete" are no names to look for in the
    # English rent-strikes page, but a year still is one.
    german = bundled_kb.signals(Question("Wir wollen als Mieter die Miete verweigern. Wie?"))
    named = bundled_kb.signals(Question("Was schrieb McAlevey 1871 über Mietstreiks?", lang="de"))
    english = bundled_kb.signals(Question("Did the Glasgow Tenants win in Barcelona?"))

    assert german is not None and named is not None and english is not None
    assert german["names_missing"] == 0.0 and german["names_in_page"] == 1.0
    assert named["names_missing"] > 0.0  # whichever page leads, none mentions 1871
    assert english["names_missing"] > 0.0  # capitals still mark names in other languages


@pytest.mark.model
def test_a_word_that_starts_a_sentence_is_no_name(bundled_kb: KnowledgeBase) -> None:
    # A situation told first, then the question: "Quels" and "Comment" start sentences; no
    # English page holds them, and they used to count as names the page lacks.
    told = bundled_kb.signals(
        Question("Notre manif a eu lieu samedi. Quels points revoir ensemble ? Comment ?")
    )
    named = bundled_kb.signals(Question("Notre manif a eu lieu avec Zorglub. Quels points ?"))

    assert told is not None and named is not None
    assert told["names_missing"] == 0.0
    assert named["names_missing"] == 1.0  # a capital inside a sentence still marks a name


@pytest.mark.model
def test_a_situation_told_first_is_also_measured_by_its_last_sentence(
    bundled_kb: KnowledgeBase,
) -> None:
    asked = "How should we run the debrief after our rally?"
    told = bundled_kb.signals(
        Question(f"Our rally was on Saturday and only half the people we hoped for came. {asked}")
    )
    alone = bundled_kb.signals(Question(asked))

    assert told is not None and alone is not None
    # One sentence is its own ask; told after a situation, the ask is read apart from it.
    assert alone["closest_passage_to_ask"] == alone["closest_passage_multilingual"]
    assert told["closest_passage_to_ask"] != told["closest_passage_multilingual"]
