"""Both encoders of a question: each role's texts encoded by its own encoder, USE first."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from retrieval.embedding import ENGLISH, MULTILINGUAL, Encoders
from tests.fakeembedder import FakeEmbedder


class CallNoting(FakeEmbedder):
    def __init__(self, dimension: int, calls: list[str], role: str) -> None:
        super().__init__(dimension)
        self.calls, self.role = calls, role

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(self.role)
        return super().embed(texts)


def test_each_role_gets_its_own_vectors_and_the_multilingual_encoder_runs_first() -> None:
    calls: list[str] = []
    english, multilingual = CallNoting(64, calls, ENGLISH), CallNoting(32, calls, MULTILINGUAL)
    encoders = Encoders(english, multilingual)
    texts = {ENGLISH: ["a rent strike"], MULTILINGUAL: ["ein Mietstreik", "a rent strike"]}
    vectors = encoders.embed_each(texts)
    assert set(vectors) == {ENGLISH, MULTILINGUAL}
    assert np.array_equal(vectors[ENGLISH], FakeEmbedder(64).embed(texts[ENGLISH]))
    assert np.array_equal(vectors[MULTILINGUAL], FakeEmbedder(32).embed(texts[MULTILINGUAL]))
    # MiniLM's spinning threads would slow a numpy call made right after it.
    assert calls == [MULTILINGUAL, ENGLISH]


def test_english_alone_and_a_role_not_asked_for() -> None:
    calls: list[str] = []
    english = CallNoting(64, calls, ENGLISH)
    only = Encoders(english).embed_each({ENGLISH: ["house visits"]})
    assert list(only) == [ENGLISH] and only[ENGLISH].shape == (1, 64)
    multilingual = CallNoting(32, calls, MULTILINGUAL)
    both = Encoders(english, multilingual).embed_each({ENGLISH: ["house visits"]})
    assert list(both) == [ENGLISH] and calls == [ENGLISH, ENGLISH]
