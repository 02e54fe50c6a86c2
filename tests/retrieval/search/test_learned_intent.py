"""The learned section intent: fitted on labelled questions, stored, used only for its encoder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from retrieval import KnowledgeBase
from retrieval.embedding import Embedder
from retrieval.embedding.base import normalise, signature
from retrieval.search.learned_intent import (
    KINDS,
    PIECE_BUCKETS,
    WORD_BUCKETS,
    LearnedIntent,
    fit,
    letter_pieces,
    the_ask,
    weights_shape,
    word_pairs,
)
from retrieval.search.sections import LEARNED_SHARE, QUESTIONS, IntentModel
from tests.fakeembedder import FakeEmbedder


def labelled(rng: np.random.Generator, per_kind: int = 30) -> tuple[np.ndarray, list[str]]:
    """Vectors where each kind leans along its own axis, under noise that is mostly 'topic'."""
    rows, kinds = [], []
    for axis, kind in enumerate(KINDS):
        for _ in range(per_kind):
            vector = rng.normal(0, 1, 16)
            vector[axis] += 3.5
            rows.append(vector)
            kinds.append(kind)
    return normalise(np.array(rows)), kinds


def test_the_fit_names_the_kind_of_questions_it_never_saw() -> None:
    rng = np.random.default_rng(5)
    vectors, kinds = labelled(rng)
    model = fit(vectors, [""] * len(kinds), kinds, "enc abc")
    unseen, truth = labelled(rng, per_kind=10)

    named = [max(p, key=p.__getitem__) for p in (model.probabilities(v, "") for v in unseen)]

    assert sum(n == t for n, t in zip(named, truth, strict=True)) >= 42  # of 50; by chance, 10
    assert sum(model.probabilities(unseen[0], "").values()) == pytest.approx(1.0, abs=1e-5)


CUES = {
    "definition": "what is meant by", "how-to": "which steps for", "risks": "the downsides of",
    "when": "when to choose", "examples": "some examples of",
}  # fmt: skip
TOPICS = ("rent strikes", "phone banking", "sit-ins", "boycotts", "house meetings", "petitions")


def test_the_letters_name_the_kind_when_the_vectors_carry_only_the_topic() -> None:
    rng = np.random.default_rng(7)
    topic_vectors = {topic: rng.normal(0, 1, 16) for topic in TOPICS}
    asked = [(kind, f"{cue} {topic}", topic) for kind, cue in CUES.items() for topic in TOPICS]
    texts, kinds = [text for _, text, _ in asked], [kind for kind, _, _ in asked]
    vectors = normalise(np.array([topic_vectors[topic] for _, _, topic in asked]))
    model = fit(vectors, texts, kinds, "enc abc")

    # Other words around the same cues, inflected, about a topic it never saw.
    unseen = {"Downside of strikes?": "risks", "Example of a blockade": "examples"}
    for text, kind in unseen.items():
        found = model.probabilities(normalise(rng.normal(0, 1, (1, 16)))[0], text)
        assert max(found, key=found.__getitem__) == kind, (text, found)


def test_the_ask_is_the_last_sentence_of_a_question_that_tells_its_situation_first() -> None:
    told = "Our rally was half empty. The team meets on Thursday! What should we go through?"
    assert the_ask(told) == "What should we go through?"
    assert the_ask("How do we run a one-to-one?") == "How do we run a one-to-one?"
    assert the_ask("  ") == "  "  # nothing to split: the text itself


def test_the_last_sentences_vector_names_the_kind_when_the_situation_does_not() -> None:
    rng = np.random.default_rng(3)
    directions = {kind: rng.normal(0, 1, 16) for kind in CUES}
    asked = [(kind, topic) for kind in CUES for topic in TOPICS]
    vectors = normalise(rng.normal(0, 1, (len(asked), 16)))  # the situations: noise
    asks = normalise(np.array([directions[kind] for kind, _ in asked]))
    texts = [f"{topic}. It is hard." for _, topic in asked]  # no cue in the words either
    model = fit(vectors, texts, [kind for kind, _ in asked], "enc abc", asks=asks)

    situation = normalise(rng.normal(0, 1, (1, 16)))[0]
    for kind, direction in directions.items():
        ask = normalise(direction[None, :] + rng.normal(0, 0.1, (1, 16)))[0]
        found = model.probabilities(situation, "A new campaign. It is hard.", ask)
        assert max(found, key=found.__getitem__) == kind, (kind, found)


def test_letter_pieces_match_inflections_and_have_unit_length() -> None:
    one, other, unrelated = (letter_pieces(t) for t in ("Beispiele", "Beispielen", "Risiken"))

    assert one.shape == (PIECE_BUCKETS,)
    assert float(np.linalg.norm(one)) == pytest.approx(1.0, abs=1e-6)
    assert float(one @ other) > 0.7 > 0.2 > float(one @ unrelated)
    assert not letter_pieces("").any() and not letter_pieces("?!").any()


def test_word_pairs_tell_a_phrase_from_the_same_words_apart_and_have_unit_length() -> None:
    asked, reordered, unrelated = (
        word_pairs(t) for t in ("what is it good for", "for it is good what", "Risiken")
    )
    assert asked.shape == (WORD_BUCKETS,)
    assert float(np.linalg.norm(asked)) == pytest.approx(1.0, abs=1e-6)
    # The same five words share their unigrams; only the phrase shares its pairs.
    assert 0.3 < float(asked @ reordered) < 0.8
    assert float(asked @ word_pairs("What is it GOOD for?")) == pytest.approx(1.0, abs=1e-6)
    assert float(asked @ unrelated) < 0.1


def test_the_stored_model_is_used_only_with_its_encoder(tmp_path: Path) -> None:
    encoder = FakeEmbedder()
    path = tmp_path / "intent.npz"
    weights = np.zeros(weights_shape(encoder.dimension), dtype=np.float32)
    weights[-1, KINDS.index("risks")] = 3.0  # bias only: every question asks for the risks
    LearnedIntent(weights, signature(encoder)).save(path)

    loaded = LearnedIntent.load(encoder, path)
    assert loaded is not None
    query = encoder.embed(["anything"])[0]
    assert max(loaded.probabilities(query, "x").items(), key=lambda kv: kv[1])[0] == "risks"
    other = FakeEmbedder()
    other.name = "another-encoder"
    assert LearnedIntent.load(other, path) is None
    resized = FakeEmbedder()
    resized.dimension = 32  # same name and weights, vectors of another size
    assert LearnedIntent.load(resized, path) is None
    assert LearnedIntent.load(encoder, tmp_path / "absent.npz") is None
    whole = path.read_bytes()
    for damaged in (whole[: len(whole) // 2], b"", b"not numpy"):
        path.write_bytes(damaged)
        assert LearnedIntent.load(encoder, path) is None


def test_every_kind_it_learns_has_typical_questions() -> None:
    assert set(KINDS) <= set(QUESTIONS)


def test_the_learned_probabilities_shift_the_typical_questions_scores() -> None:
    encoder = FakeEmbedder()
    weights = np.zeros(weights_shape(encoder.dimension), dtype=np.float32)
    weights[-1, KINDS.index("examples")] = 5.0
    text = "how do we do this step by step"
    query = encoder.embed([text])[0]

    plain = IntentModel(encoder).scores(query, text)
    learned = IntentModel(encoder, LearnedIntent(weights, signature(encoder))).scores(query, text)

    gain = {kind: learned[kind] - plain[kind] for kind in plain}
    likely = np.exp(5.0) / (np.exp(5.0) + len(KINDS) - 1)  # the softmax of that bias
    assert gain["examples"] == pytest.approx(LEARNED_SHARE * (likely - 1 / len(KINDS)), abs=1e-4)
    assert gain["sources"] == 0.0  # a kind the model does not know keeps its score
    assert all(gain[kind] < 0 for kind in KINDS if kind != "examples")


@pytest.mark.model
def test_the_bundled_model_reads_the_bundled_encoders_vectors(
    multilingual: Embedder, bundled_kb: KnowledgeBase
) -> None:
    learned = LearnedIntent.load(multilingual)
    assert learned is not None, "learned_intent.npz was fitted for another encoder"
    assert bundled_kb.intents.encoder is multilingual
    assert bundled_kb.intents.learned is not None  # the knowledge base uses it
    # Worded apart from the development questions, in three languages.
    asks = {
        "Was kann schiefgehen, wenn wir das machen?": "risks",
        "Pouvez-vous me donner des exemples concrets ?": "examples",
        "¿Cuáles son los pasos para organizarlo?": "how-to",
    }
    for question, kind in asks.items():
        found = learned.probabilities(multilingual.embed([question])[0], question)
        assert max(found, key=found.__getitem__) == kind, (question, found)
