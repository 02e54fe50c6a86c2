"""A build process killed with SIGKILL at its worst moments leaves the previous build answering."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from retrieval import Question
from retrieval.index.builder import build_index
from retrieval.index.manifest import current_build
from retrieval.service import KnowledgeBase
from tests.paths import REPO

# Runs a build in a child process that announces when it reaches `stage`, then hangs there.
CHILD = """
import sys, time
from pathlib import Path
from retrieval import ModelSettings, RetrievalSettings
from retrieval.index import builder, vectors
from tests.fakeembedder import FakeEmbedder

content, var, stage, flag = sys.argv[1:5]
settings = RetrievalSettings(
    content_dir=Path(content), var_dir=Path(var), model=ModelSettings(name="fake")
)

def hang():
    Path(flag).write_text("reached")
    time.sleep(60)

class HangingEmbedder(FakeEmbedder):
    def embed(self, texts):
        hang()

if stage == "writing":
    real_save = vectors.save
    def save_then_hang(index, path):
        real_save(index, path)
        hang()
    vectors.save = save_then_hang
embedder = HangingEmbedder() if stage == "embedding" else FakeEmbedder()
builder.build_index(settings, embedder, full=True)
"""


@pytest.mark.parametrize("stage", ["embedding", "writing"])
def test_sigkill_mid_build_keeps_previous_build(settings, embedder, tmp_path: Path, stage) -> None:
    good = build_index(settings, embedder)
    flag = tmp_path / "reached"
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            CHILD,
            str(settings.content_dir),
            str(settings.var_dir),
            stage,
            str(flag),
        ],
        env=os.environ | {"PYTHONPATH": str(REPO)},
    )
    try:
        deadline = time.monotonic() + 30
        while not flag.exists():
            assert child.poll() is None, "the build process ended before the kill"
            assert time.monotonic() < deadline
            time.sleep(0.02)
        if stage == "writing":
            assert list(settings.index_dir.glob(".tmp-*")), "killed while a build was half written"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        child.kill()
    assert current_build(settings.index_dir)[1].build_id == good.build_id
    kb = KnowledgeBase.open(settings, embedder)
    assert kb.ask(Question("rent pledge withhold rent")).citations[0].slug == "rent-pledges"
    kb.close()
    after = build_index(settings, embedder)  # and the next build cleans up and succeeds
    assert not list(settings.index_dir.glob(".tmp-*"))
    assert current_build(settings.index_dir)[1].build_id == after.build_id
