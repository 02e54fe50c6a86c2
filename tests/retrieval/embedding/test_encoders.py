"""Both encoders of a question, side by side: the same vectors as one after the other."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np

from retrieval.embedding import ENGLISH, MULTILINGUAL, Encoders
from tests.fakeembedder import FakeEmbedder


class ThreadNoting(FakeEmbedder):
    def __init__(self, dimension: int) -> None:
        super().__init__(dimension)
        self.threads: list[str] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.threads.append(threading.current_thread().name)
        return super().embed(texts)


def test_the_multilingual_encoder_runs_beside_the_english_one_with_the_same_vectors() -> None:
    english, multilingual = ThreadNoting(64), ThreadNoting(32)
    encoders = Encoders(english, multilingual)
    texts = {ENGLISH: ["a rent strike"], MULTILINGUAL: ["ein Mietstreik", "a rent strike"]}
    vectors = encoders.embed_each(texts)
    assert set(vectors) == {ENGLISH, MULTILINGUAL}
    assert np.array_equal(vectors[ENGLISH], FakeEmbedder(64).embed(texts[ENGLISH]))
    assert np.array_equal(vectors[MULTILINGUAL], FakeEmbedder(32).embed(texts[MULTILINGUAL]))
    assert english.threads == [threading.current_thread().name]
    assert multilingual.threads[0].startswith("orgbot-encoder")


def test_english_alone_and_a_role_not_asked_for() -> None:
    english = ThreadNoting(64)
    only = Encoders(english).embed_each({ENGLISH: ["house visits"]})
    assert list(only) == [ENGLISH] and only[ENGLISH].shape == (1, 64)
    multilingual = ThreadNoting(32)
    both = Encoders(english, multilingual).embed_each({ENGLISH: ["house visits"]})
    assert list(both) == [ENGLISH] and multilingual.threads == []
