"""The multilingual encoder's fast-start copy: used when whole, worked around (and said)
when not."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pytest

from retrieval.embedding.universal import (
    EXPORT_INFO,
    FEW_TEXTS,
    WEIGHTS_SHA256,
    UniversalEncoder,
    export_folder,
)

pytestmark = pytest.mark.model


@pytest.mark.parametrize("damage", ["garbage-weights", "broken-info"])
def test_a_damaged_fast_start_copy_falls_back_to_the_packaged_weights_and_says_so(
    multilingual, tmp_path: Path, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    folder = export_folder(tmp_path, WEIGHTS_SHA256)
    folder.mkdir(parents=True)
    (folder / "weights.npz").write_bytes(b"PK\x03\x04 not really a zip file" * 100)
    info = {"source_sha256": WEIGHTS_SHA256}
    (folder / EXPORT_INFO).write_text("{oops" if damage == "broken-info" else json.dumps(info))
    with caplog.at_level(logging.WARNING, logger="retrieval"):
        encoder = UniversalEncoder(tmp_path)
    (warning,) = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert str(folder) in warning and "orgbot model export" in warning
    texts = ["Wie erstelle ich eine Machtanalyse?", "a rent strike"]
    assert np.allclose(encoder.embed(texts), multilingual.embed(texts), atol=1e-5)


def test_a_question_uses_one_blas_thread_and_a_build_batch_the_configured_ones(
    multilingual, bundled_var: Path
) -> None:
    encoder = UniversalEncoder(bundled_var, threads=2)
    during: list[int] = []
    encode = encoder._backend.encode

    def spy(texts: list[str]) -> object:
        during.append(encoder._backend.threads)
        return encode(texts)

    encoder._backend.encode = spy
    question = ["Wie schützen wir unsere Chatgruppe?"]
    batch = [f"Satz Nummer {n} über Mietstreiks." for n in range(FEW_TEXTS + 1)]
    few, many = encoder.embed(question), encoder.embed(batch)
    assert during == [1, 2]
    # The thread count changes the speed, never the vectors.
    assert np.allclose(few, multilingual.embed(question), atol=1e-5)
    assert np.allclose(many, multilingual.embed(batch), atol=1e-5)
