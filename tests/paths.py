"""Where the tests' data lives, from this file rather than the working directory."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"
FIXTURES = REPO / "tests" / "fixtures"
# The one small wiki the retrieval, bot and CLI tests answer from.
WIKI = FIXTURES / "wiki"
QUESTIONS = REPO / "tests" / "eval" / "questions.jsonl"
