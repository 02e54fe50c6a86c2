"""The plain, frozen values that cross every boundary: pages in, answers out.

`bot/` and the CLI only ever see these; nothing here knows about FAISS, SQL or Discord.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

Kind = Literal["method", "concept", "framework", "case-study", "source", "thinker", "guide"]
Status = Literal["stub", "emerging", "established"]
Tier = Literal["core", "verify-then-use", "reference", "deprioritize"]
Grounding = Literal["primary", "secondary", "tertiary", "unverified"]
Pillar = Literal["strategy", "organizing", "tactics", "digital", "legal"]
Severity = Literal["error", "warning"]

KINDS: tuple[str, ...] = Kind.__args__  # type: ignore[attr-defined]
STATUSES: tuple[str, ...] = Status.__args__  # type: ignore[attr-defined]
TIERS: tuple[str, ...] = Tier.__args__  # type: ignore[attr-defined]
GROUNDINGS: tuple[str, ...] = Grounding.__args__  # type: ignore[attr-defined]
PILLARS: tuple[str, ...] = Pillar.__args__  # type: ignore[attr-defined]

# ISO 639-1 codes we accept for `lang`. A short list on purpose: a typo such as `eng` or `ger`
# should be caught, and adding a language is a one-line change.
LANGUAGES: tuple[str, ...] = (
    "en", "de", "fr", "es", "it", "pt", "nl", "pl", "sv", "da", "no", "fi", "cs", "el", "tr",
    "ru", "uk", "ar", "fa", "he", "hi", "ja", "ko", "zh", "id", "sw",
)  # fmt: skip
DEFAULT_LANG = "en"


@dataclass(frozen=True)
class Finding:
    """One problem found in content: what, where, and how to fix it."""

    severity: Severity
    path: str
    line: int
    rule: str
    message: str
    hint: str = ""
    column: int = 1  # 1-based, where it is known (a link, a YAML error, a key); else 1

    @property
    def where(self) -> str:
        """`path:line:col`, as editors and terminals open it."""
        return f"{self.path}:{self.line}:{self.column}"

    def __str__(self) -> str:
        hint = f" (fix: {self.hint})" if self.hint else ""
        return f"{self.where}: {self.severity} [{self.rule}] {self.message}{hint}"


@dataclass(frozen=True)
class Link:
    """A `[[target]]`, `[[target#section]]` or `[[target|label]]` in a page body."""

    target: str
    label: str | None
    line: int
    anchor: str | None = None
    column: int = 1


@dataclass(frozen=True)
class SourceRef:
    id: str
    grounding: Grounding
    note: str | None = None


@dataclass(frozen=True)
class Verified:
    date: dt.date
    by: str


@dataclass(frozen=True)
class Years:
    start: int
    end: int | None = None

    def __str__(self) -> str:
        if self.end is None or self.end == self.start:
            return str(self.start)
        return f"{self.start}–{self.end}"


@dataclass(frozen=True)
class Section:
    heading: str
    anchor: str
    text: str
    line: int


@dataclass(frozen=True)
class Page:
    """A wiki page as written: front matter, lead, and `## ` sections in order."""

    slug: str
    path: str
    title: str
    kind: Kind
    lang: str = DEFAULT_LANG
    translation_of: str | None = None
    aliases: tuple[str, ...] = ()
    summary: str = ""
    summary_source: Literal["written", "extracted"] = "written"
    pillar: tuple[Pillar, ...] = ()
    tags: tuple[str, ...] = ()
    status: Status = "emerging"
    tier: Tier = "reference"
    related: tuple[str, ...] = ()
    sources: tuple[SourceRef, ...] = ()
    verified: Verified | None = None
    region: str | None = None
    country: str | None = None
    years: Years | None = None
    outcome: str | None = None
    lead: str = ""
    sections: tuple[Section, ...] = ()
    links: tuple[Link, ...] = ()
    # Slugs of this page's translations (on an original) — filled in when a folder is grouped.
    translations: tuple[str, ...] = ()
    # Line of each front-matter key in the file, so later checks can point at it.
    field_lines: tuple[tuple[str, int], ...] = ()
    body_line: int = 1

    def line_of(self, key: str) -> int:
        return dict(self.field_lines).get(key, 1)

    def section(self, heading: str) -> Section | None:
        wanted = heading.casefold()
        return next((s for s in self.sections if s.heading.casefold() == wanted), None)

    @property
    def original_slug(self) -> str:
        """The slug of the page this one translates, or its own slug."""
        return self.translation_of or self.slug


@dataclass(frozen=True)
class Citation:
    """One quoted passage in an answer, with everything needed to render and link it."""

    slug: str
    title: str
    section: str
    kind: str
    status: str
    tier: str
    lang: str
    snippet: str
    score: float
    url: str | None = None
    # (start, end) character offsets of the question's terms inside `snippet`.
    marks: tuple[tuple[int, int], ...] = ()
    anchor: str = ""


@dataclass(frozen=True)
class Question:
    """A question and how to answer it; None options take the configured default.

    `lang` is the language to answer in, or "auto": the language the question is written
    in when that is clear, else `locale` (the asker's interface language, say Discord's),
    else English.
    """

    text: str
    lang: str = "auto"
    locale: str | None = None
    offset: int = 0  # citations already shown (for "more results")
    limit: int | None = None
    threshold: float | None = None
    include_stubs: bool | None = None


@dataclass(frozen=True)
class Answer:
    """What a question gets: cited passages, or an honest no with nearby pages."""

    question: str
    answered: bool
    citations: tuple[Citation, ...] = ()
    see_also: tuple[Citation, ...] = ()
    lang: str = DEFAULT_LANG
    # Set when the asker's language had no version of a cited page and English was used.
    fell_back_to: str | None = None
    latency_ms: float = 0.0
    notice: str | None = None
    # Whether citations past these ones are good enough to offer "more results".
    more: bool = False
    # The page that matches best when it is a stub: it exists but is not written yet.
    unwritten: PageRef | None = None
    # Whether scores are calibrated confidences (0-1, the chance the page answers) or, with
    # encoders no calibration fits, plain cosine similarities.
    calibrated: bool = False


@dataclass(frozen=True)
class PageRef:
    """A page named in a list: autocomplete choices, "did you mean", related pages."""

    slug: str
    title: str
    kind: str
    lang: str = DEFAULT_LANG
    status: str = "emerging"
    score: float = 0.0
    url: str | None = None


@dataclass(frozen=True)
class PageLookup:
    """A page found by name (for its card) with its related pages, or, when no page has
    that name, the pages whose names come close."""

    page: Page | None
    fell_back: bool = False  # the asker's language had no version; English is shown
    related: tuple[PageRef, ...] = ()
    suggestions: tuple[PageRef, ...] = ()
    # (slug, title) of each page the page's text links to, titled in the asker's language,
    # so a card shows `[[civil-resistance-2-0]]` as "Civil Resistance 2.0".
    link_titles: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class IndexStatus:
    """What `orgbot index status` and `/kb status` show about the build in use."""

    build_id: str
    built_at: str
    models: tuple[tuple[str, int], ...]  # each encoder's name and vector dimension
    pages: int
    passages: int
    size_bytes: int
    path: str
    changed_pages: tuple[str, ...] = ()
    # What is wrong with the build on disk (parts missing, cut short or damaged) or around
    # it (the content folder gone), each with what to do; empty when all is well.
    problems: tuple[str, ...] = ()
    # The orgbot version that made the build; an older one answers, but without what a newer
    # build computes (section kinds), until `orgbot index build` remakes it.
    made_by: str = ""


@dataclass(frozen=True)
class Reload:
    """What `/kb reload` did: whether it switched, and the build now answering."""

    switched: bool
    build_id: str
