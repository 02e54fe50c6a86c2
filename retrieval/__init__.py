"""orgbot's knowledge layer: the wiki's content tools, the encoders, the index, search.

This module is the facade the front ends (`bot/`: Discord and the CLI) use, and all they
may use: the frozen values that cross the boundary, the settings, the one base error, the
knowledge base (synchronous, and its worker-thread wrapper for an event loop), and the
maintainers' operations. Inside, one sub-package per job:

- `wiki/`: reading pages, checking them, importing exports, summaries;
- `embedding/`: the encoders behind one interface;
- `index/`: passages, building, the manifest and build folders, the store, vectors;
- `search/`: ranking, fusion, section order, snippets, answers, evaluation.

Knows nothing about Discord.
"""

from retrieval.embedding import Embedder, Encoders, ModelError, export_models, load_encoders
from retrieval.errors import OrgbotError
from retrieval.index.builder import BuildError, BuildReport, build_index
from retrieval.index.manifest import IndexNotReady, current_build
from retrieval.models import (
    DEFAULT_LANG,
    LANGUAGES,
    Answer,
    Citation,
    Finding,
    IndexStatus,
    Page,
    PageLookup,
    PageRef,
    Question,
    Reload,
    Section,
)
from retrieval.search.evaluate import MODES, ModeReport, QuestionSetError, evaluate, read_questions
from retrieval.service import MAX_NAME_CHARS, KnowledgeBase, build_artifact, install_build
from retrieval.settings import (
    AnswerSettings,
    IndexSettings,
    ModelSettings,
    RetrievalSettings,
)
from retrieval.version import __version__
from retrieval.wiki.importer import ImportReport, import_exports
from retrieval.wiki.lint import LintReport, lint
from retrieval.wiki.loader import load_pages
from retrieval.wiki.summaries import needs_summary, summarize
from retrieval.wiki.summary_writer import write_summary
from retrieval.worker import AsyncKnowledgeBase

__all__ = [
    "DEFAULT_LANG",
    "LANGUAGES",
    "MAX_NAME_CHARS",
    "MODES",
    "Answer",
    "AnswerSettings",
    "AsyncKnowledgeBase",
    "BuildError",
    "BuildReport",
    "Citation",
    "Embedder",
    "Encoders",
    "Finding",
    "ImportReport",
    "IndexNotReady",
    "IndexSettings",
    "IndexStatus",
    "KnowledgeBase",
    "LintReport",
    "ModeReport",
    "ModelError",
    "ModelSettings",
    "OrgbotError",
    "Page",
    "PageLookup",
    "PageRef",
    "Question",
    "QuestionSetError",
    "Reload",
    "RetrievalSettings",
    "Section",
    "__version__",
    "build_artifact",
    "build_index",
    "current_build",
    "evaluate",
    "export_models",
    "import_exports",
    "install_build",
    "lint",
    "load_encoders",
    "load_pages",
    "needs_summary",
    "read_questions",
    "summarize",
    "write_summary",
]
