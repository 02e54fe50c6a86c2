"""Precedents: how much a question resembles earlier ones the wiki could not answer."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from retrieval import KnowledgeBase, Question
from retrieval.embedding import Embedder
from retrieval.embedding.base import signature
from retrieval.search import precedents
from retrieval.search.fitted import save_signed
from retrieval.search.precedents import PRECEDENTS, Precedents


class Named:
    """Just enough of an encoder for `Precedents.load` to check who made the vectors."""

    def __init__(self, name: str, dimension: int = 3) -> None:
        self.name, self.dimension, self.weights_sha256 = name, dimension, "abc123"


def unit(*values: float) -> np.ndarray:
    vector = np.array(values, dtype=np.float32)
    unit_vector: np.ndarray = vector / np.linalg.norm(vector)
    return unit_vector


def three() -> Precedents:
    vectors = np.vstack([unit(1, 0, 0), unit(0, 1, 0), unit(0, 0, 1)])
    pages = np.array(["", "rent-strikes", "one-to-ones"])
    return Precedents(vectors, np.array([False, True, True]), pages, "enc abc123")


def test_likeness_is_the_closest_unanswerable_minus_the_closest_answerable() -> None:
    precedents = three()
    near_unanswerable = unit(0.9, 0.1, 0)

    assert precedents.likeness(near_unanswerable) == pytest.approx(
        float(near_unanswerable[0] - near_unanswerable[1]), abs=1e-6
    )
    assert precedents.likeness(unit(0, 1, 0.1)) < 0 < precedents.likeness(near_unanswerable)


def test_a_mask_leaves_precedents_out_and_a_missing_side_means_no_signal() -> None:
    precedents = three()
    query = unit(0.2, 0.3, 0.9)
    without_third = np.array([True, True, False])

    assert precedents.likeness(query, among=without_third) == pytest.approx(
        float(query[0] - query[1]), abs=1e-6
    )
    assert precedents.likeness(query, among=np.array([False, True, True])) == 0.0


def test_the_nearest_answerable_precedents_vote_for_their_pages() -> None:
    _, votes = three().read(unit(0.1, 0.9, 0.3))

    assert set(votes) == {"rent-strikes", "one-to-ones"}  # the unanswerable one has no vote
    assert sum(votes.values()) == pytest.approx(1.0)
    assert votes["rent-strikes"] > 0.99  # 0.94 cosine against 0.31: the nearer one decides


def test_one_read_gives_the_likeness_too() -> None:
    query = unit(0.6, 0.7, 0.2)

    assert three().read(query)[0] == three().likeness(query)


def test_a_question_asked_again_does_not_vote_for_itself() -> None:
    _, votes = three().read(unit(0, 1, 0))  # the rent-strikes precedent, word for word

    assert votes == {"one-to-ones": pytest.approx(1.0)}
    only_unanswerable = Precedents(
        np.vstack([unit(1, 0, 0)]), np.array([False]), np.array([""]), "enc abc123"
    )
    assert only_unanswerable.read(unit(1, 0, 0))[1] == {}


def test_stored_precedents_load_only_for_the_encoder_that_made_them(tmp_path: Path) -> None:
    path = tmp_path / "precedents.npz"
    three().save(path)

    loaded = Precedents.load(Named("enc"), path)
    assert loaded is not None and loaded.encoder == "enc abc123"
    assert np.allclose(loaded.vectors, three().vectors, atol=1e-3)
    assert loaded.answerable.tolist() == [False, True, True]
    assert loaded.pages.tolist() == ["", "rent-strikes", "one-to-ones"]
    assert Precedents.load(Named("other"), path) is None
    assert Precedents.load(Named("enc", dimension=4), path) is None
    assert Precedents.load(Named("enc"), tmp_path / "absent.npz") is None
    # One made before precedents knew their pages is out of date, not half used.
    save_signed(path, "enc abc123", {"vectors": three().vectors, "answerable": three().answerable})
    assert Precedents.load(Named("enc"), path) is None
    three().save(path)
    whole = path.read_bytes()
    for damaged in (whole[: len(whole) // 2], b"", b"not a numpy archive"):
        path.write_bytes(damaged)  # cut short, emptied, or never an archive: never fatal
        assert Precedents.load(Named("enc"), path) is None


@pytest.mark.model
def test_the_bundled_precedents_belong_to_the_bundled_encoder(multilingual: Embedder) -> None:
    stored = Precedents.load(multilingual)

    assert stored is not None, f"{PRECEDENTS} was made by another encoder; run bench.calibrate"
    assert stored.encoder == signature(multilingual)
    assert 100 <= int((~stored.answerable).sum()) < int(stored.answerable.sum())
    # Every answerable precedent names the page that answers it, and no other one does.
    assert all(stored.pages[stored.answerable]) and not any(stored.pages[~stored.answerable])


@pytest.mark.model
def test_a_question_like_earlier_unanswerable_ones_scores_higher(
    bundled_kb: KnowledgeBase,
) -> None:
    # A detail of a covered case, as development questions asked it in other words ("who led
    # the glasgow rent strikes in 1915?"), and a question about organising around it.
    detail = bundled_kb.signals(Question("Who exactly led the Glasgow tenants in 1915?"))
    method = bundled_kb.signals(Question("How did the Glasgow tenants organise their strike?"))

    assert detail is not None and method is not None
    assert detail["like_unanswerable"] > method["like_unanswerable"]


@pytest.mark.model
def test_without_precedents_for_its_encoder_the_calibration_is_not_used(
    bundled_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert bundled_kb.answerer.grounding is not None
    monkeypatch.setattr(precedents, "PRECEDENTS", tmp_path / "absent.npz")

    again = KnowledgeBase(bundled_kb.settings, bundled_kb.encoders, bundled_kb.build)

    assert again.answerer.grounding is None  # the best passage's cosine decides instead
    signals = again.signals(Question("Who exactly led the Glasgow tenants in 1915?"))
    assert signals is not None and signals["like_unanswerable"] == 0.0
