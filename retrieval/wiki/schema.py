"""Typed validation of a page's front matter.

Pydantic checks types and allowed values; we turn its errors into findings that name the
front-matter key and carry a hint a maintainer can act on.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from retrieval.models import (
    GROUNDINGS,
    KINDS,
    LANGUAGES,
    PILLARS,
    STATUSES,
    TIERS,
    Grounding,
    Kind,
    Pillar,
    Status,
    Tier,
)

HINTS: dict[str, str] = {
    "summary": "write the summary as text: `summary: >-` followed by indented lines",
    "title": "add `title: Human readable title` to the front matter",
    "kind": f"use one of: {', '.join(KINDS)}",
    "lang": f"use a two-letter language code: {', '.join(LANGUAGES)}",
    "status": f"use one of: {', '.join(STATUSES)}",
    "tier": f"use one of: {', '.join(TIERS)}",
    "grounding": f"use one of: {', '.join(GROUNDINGS)}",
    "pillar": f"use one or more of: {', '.join(PILLARS)}",
    "summary_source": "use `written` or `extracted`",
    "sources": "write each source as `- {id: source-slug, grounding: secondary, note: ...}`",
    "verified": "write `verified: {date: 2026-01-31, by: your-name}`",
    "years": "write `years: {start: 1955, end: 1956}`",
    "aliases": "write a YAML list: `aliases: [other name, another]`",
    "related": "write a YAML list of slugs: `related: [one-to-ones, power-mapping]`",
    "tags": "write a YAML list: `tags: [unions, housing]`",
}

KNOWN_FIELDS = frozenset(
    {
        "title", "kind", "lang", "translation_of", "aliases", "summary", "summary_source",
        "pillar", "tags", "status", "tier", "related", "sources", "verified", "region",
        "country", "years", "outcome",
    }
)  # fmt: skip


class _Strict(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, str_strip_whitespace=True)


class SourceModel(_Strict):
    id: str = Field(min_length=1)
    grounding: Grounding
    note: str | None = None

    @field_validator("id", mode="before")
    @classmethod
    def _id_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int | float) else value


class VerifiedModel(_Strict):
    date: dt.date
    by: str = Field(min_length=1)


class YearsModel(_Strict):
    start: int = Field(ge=1, le=2200)
    end: int | None = Field(default=None, ge=1, le=2200)


def _as_list(value: Any) -> Any:
    """Accept `tags: housing` as `[housing]`: a single word is an honest way to write a list."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return value


class FrontMatter(_Strict):
    title: str = Field(min_length=1)
    kind: Kind
    lang: str = "en"
    translation_of: str | None = None
    aliases: list[str] = []
    summary: str = ""
    summary_source: Literal["written", "extracted"] = "written"
    pillar: list[Pillar] = []
    tags: list[str] = []
    status: Status = "emerging"
    tier: Tier = "reference"
    related: list[str] = []
    sources: list[SourceModel] = []
    verified: VerifiedModel | None = None
    region: str | None = None
    country: str | None = None
    years: YearsModel | None = None
    outcome: str | None = None

    _lists = field_validator("aliases", "pillar", "tags", "related", mode="before")(
        classmethod(lambda cls, v: _as_list(v))
    )

    @field_validator("lang")
    @classmethod
    def _known_lang(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise ValueError(f"unknown language code {value!r}")
        return value

    @field_validator("summary", mode="before")
    @classmethod
    def _summary_text(cls, value: Any) -> Any:
        return "" if value is None else value

    @field_validator("aliases", "tags", "related", mode="after")
    @classmethod
    def _no_blank_items(cls, value: list[str]) -> list[str]:
        return [item for item in value if item.strip()]


def validation_problems(error: ValidationError) -> list[tuple[list[str], str, str]]:
    """(location path, message, hint) for each problem pydantic found."""
    problems = []
    for item in error.errors():
        loc = [str(part) for part in item["loc"]]
        key = loc[0] if loc else "front matter"
        leaf = next((p for p in reversed(loc) if not p.isdigit()), key)
        where = ".".join(loc) or key
        got = item.get("input")
        text = item["msg"].removeprefix("Value error, ").rstrip(".")
        # Only a short scalar is shown (and only then turned into text): a list can be large.
        shown = f" (got {got!r})" if _is_scalar(got) and item["type"] != "missing" else ""
        shown = "" if shown and repr(got) in text else shown
        message = f"`{where}`: {text}{shown}"
        if item["type"] == "missing":
            message = f"required field `{where}` is missing"
        hint = HINTS.get(leaf) or HINTS.get(key, "see the content model in the README")
        problems.append((loc or [key], message, hint))
    return problems


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool | dt.date) and len(str(value)) < 80
