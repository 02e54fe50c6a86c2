"""Fixtures shared across the tree: the fake embedder, and the bundled model over `content/`.

The fake is registered for every test, the way any encoder backend is, so a settings file
with `[model] name = "fake"` loads it; the bundled model is loaded at most once a session.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from retrieval import Encoders, KnowledgeBase, ModelSettings, RetrievalSettings, build_index
from retrieval.embedding import Embedder, load_embedder
from retrieval.embedding.model_files import model_source
from retrieval.embedding.onnx_runtime import OnnxEmbedder, export, export_folder
from tests import fakeembedder
from tests.paths import CONTENT
from tests.pgserver import PostgresServer, postgres_server

fakeembedder.register()

# The bot's stack (used by tests/bot and tests/e2e) and the fake Discord's fixture.
pytest_plugins = ["tests.botstack", "tests.fakediscord.fixtures"]


def bundled_settings(var_dir: Path, **model: str) -> RetrievalSettings:
    """Settings for the bundled model over the bundled wiki, with its own `var/`."""
    return RetrievalSettings(
        content_dir=CONTENT,
        var_dir=var_dir,
        model=ModelSettings(**model),  # type: ignore[arg-type]
    )


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the session; tests create a database each on it."""
    with postgres_server() as server:
        yield server


@pytest.fixture(scope="session")
def bundled_var(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("var")


@pytest.fixture(scope="session")
def model(bundled_var: Path) -> Embedder:
    """The bundled model on sentence-transformers (torch)."""
    return load_embedder(bundled_settings(bundled_var, runtime="torch").model, bundled_var)


@pytest.fixture(scope="session")
def onnx_model(bundled_var: Path) -> Embedder:
    """The bundled model exported to ONNX, as `orgbot model export` makes it."""
    settings = bundled_settings(bundled_var)
    folder, name, sha = model_source(settings.model)
    export(folder, export_folder(bundled_var, name, sha), sha)
    embedder = load_embedder(settings.model, bundled_var)
    assert isinstance(embedder, OnnxEmbedder)
    return embedder


@pytest.fixture(scope="session")
def multilingual(bundled_var: Path) -> Embedder:
    """The bundled multilingual encoder (USE v3)."""
    return load_embedder(bundled_settings(bundled_var).multilingual, bundled_var)


@pytest.fixture(scope="session")
def bundled_kb(onnx_model: Embedder, multilingual: Embedder, bundled_var: Path) -> KnowledgeBase:
    """The bundled wiki built and searched with both bundled encoders, as by default."""
    settings = bundled_settings(bundled_var)
    encoders = Encoders(onnx_model, multilingual)
    build_index(settings, encoders)
    return KnowledgeBase.open(settings, encoders)
