"""Retrieval's own settings: where the wiki and the index live, the model, and how to answer.

Plain frozen values with no environment or file access of their own: the front end reads
`config/orgbot.toml` and `ORGBOT_*` (see `bot.settings`) and passes these in. Relative paths
are resolved there, against the config file or the working directory, never against the
installed package.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

BUNDLED_MODEL = "bundled:all-MiniLM-L6-v2"
BUNDLED_MULTILINGUAL = "bundled:universal-sentence-encoder-multilingual-v3"


class Section(BaseModel):
    """A settings table: a misspelt key (`tresh = 0.4`) fails loudly instead of being ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ModelSettings(Section):
    """One encoder: a bundled one by name, or a local sentence-transformers folder."""

    name: str = BUNDLED_MODEL
    # sha256 of the weights, checked on load. Empty means: the published hash for a bundled
    # model, no check for a model folder of your own.
    sha256: str = ""
    # "auto": the ONNX export of the model when there is one (fast start), else torch.
    runtime: Literal["auto", "onnx", "torch"] = "auto"
    # BLAS threads for the numpy encoder; more than the machine's cores makes it crawl.
    threads: int = Field(default=2, ge=1, le=64)


class AnswerSettings(Section):
    max_citations: int = Field(default=3, ge=1, le=10)
    # The confidence (0-1) a page must reach to count as an answer. None: the calibrated one
    # for the bundled encoders (retrieval/search/grounding.json), or a cosine of 0.35 for
    # encoders of your own.
    threshold: float | None = Field(default=None, ge=0, le=1, allow_inf_nan=False)
    see_also_threshold: float = Field(default=0.25, ge=0, le=1, allow_inf_nan=False)
    include_stubs: bool = False
    snippet_sentences: int = Field(default=3, ge=1, le=5)


class IndexSettings(Section):
    # Above this many passages the dense index becomes approximate (inverted file).
    exact_search_limit: int = Field(default=50_000, ge=1)


class RetrievalSettings(Section):
    content_dir: Path = Path("content")
    var_dir: Path = Path("var")
    # Public address of the wiki; citations link to base_url + slug + #section when set.
    base_url: str | None = None
    # The English encoder, and the multilingual one that lets a question in any language
    # find a page in any language (name "" turns it off: English-only search).
    model: ModelSettings = ModelSettings()
    multilingual: ModelSettings = ModelSettings(name=BUNDLED_MULTILINGUAL)
    answer: AnswerSettings = AnswerSettings()
    index: IndexSettings = IndexSettings()

    @property
    def index_dir(self) -> Path:
        return self.var_dir / "index"
