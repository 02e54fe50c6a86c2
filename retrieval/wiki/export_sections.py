"""What each export section becomes in our page: front matter fields or Markdown lines.

Every handler marks the lines it used in `export.placed` and records each judgement call as
a `Decision`, so the import report can account for every line of the export.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from retrieval.models import GROUNDINGS
from retrieval.wiki.export_format import Block, Export, Line

PLACEHOLDER = re.compile(r"\b(TBD|TODO|FIXME)\b")
SLUG_ITEM = re.compile(r"-\s+(?P<slug>[A-Za-z0-9][\w./-]*)")
# `- Title, 1955-1956 — snippet 1955-1956 · Region`: the title may itself contain commas.
YEARS = r"\d{3,4}(?:\s*[-–]\s*\d{3,4})?"
EXAMPLE = re.compile(
    rf"-\s+(?P<title>.+?),\s*(?P<years>{YEARS})\s+[—–-]+\s+(?P<snippet>.*?)\s*"
    rf"(?P<again>{YEARS})?\s*·\s*(?P<region>[^·]+?)"
)
SEE_ALL = re.compile(r"(?P<text>See all .+?)\s*(?:→|->)\s*(?P<slug>[\w/-]+)")
LIST_ITEM = re.compile(r"\s*(?:[-*+]|\d+[.)])\s")
SOURCE = re.compile(
    r"-\s+(?P<id>[^\s—]+)(?:\s+—\s+grounding:\s*(?P<grounding>[\w-]+))?(?:\s+—\s+(?P<rest>.+))?"
)


@dataclass
class PageParts:
    """The page being assembled: front matter values and Markdown sections in order."""

    # Slugs of the pages already in the folder the export is imported into.
    known: frozenset[str] = frozenset()
    summary: str = ""
    related: list[str] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    lead: list[str] = field(default_factory=list)
    sections: list[tuple[str, list[str]]] = field(default_factory=list)

    def add_related(self, slug: str) -> None:
        if slug not in self.related:
            self.related.append(slug)

    def existing(self, slug: str) -> str | None:
        """The one known page whose slug ends in `slug` (`case-studies/x` for `x`), if any."""
        if slug in self.known or "/" in slug:
            return None
        matches = [known for known in self.known if known.endswith(f"/{slug}")]
        return matches[0] if len(matches) == 1 else None


def choose_summary(export: Export, blocks: list[Block], header: Line | None) -> str:
    """The first real summary wins; placeholders never do, whatever their order."""
    candidates = [header] if header is not None else []
    for block in blocks:
        content = block.content()
        if not content:
            export.note(block.line, "info", "empty-section", "empty `Summary` section skipped")
        candidates.extend(Line(c.number, c.text.strip()) for c in content)
    chosen: Line | None = None
    for candidate in candidates:
        export.placed.add(candidate.number)
        if PLACEHOLDER.search(candidate.text):
            export.note(
                candidate.number,
                "info",
                "placeholder",
                f"placeholder summary not used: {candidate.text!r}",
            )
        elif chosen is None:
            chosen = candidate
        else:
            export.keep_unsorted(candidate, f"second summary (first on line {chosen.number})")
    if chosen is None:
        export.note(
            0,
            "warning",
            "no-summary",
            "no real summary in the export; `summary` left empty for lint to report",
        )
        return ""
    return chosen.text


def examples(export: Export, block: Block) -> list[str]:
    out: list[str] = []
    for line in block.content():
        export.placed.add(line.number)
        text = line.text.strip()
        if "[TRUNC]" in text:
            text = re.sub(r"\s*\[TRUNC\]\s*", " … ", text).strip()
            export.note(
                line.number,
                "warning",
                "truncated",
                "snippet was cut in the export; `[TRUNC]` written as `…`",
            )
        example, see_all = EXAMPLE.fullmatch(text), SEE_ALL.fullmatch(text)
        if example:
            out.append(_example_item(export, line.number, example))
        elif see_all:
            out.append(f"{see_all['text']}: [[{see_all['slug']}]]")
            export.note(
                line.number, "info", "see-all-link", f"`→ {see_all['slug']}` written as a wikilink"
            )
        else:
            out.append(text)
            export.note(
                line.number,
                "warning",
                "unknown-line",
                "example not in the `- Title, YEARS — snippet YEARS · Region` form; "
                "kept as written",
            )
    return paragraphs(out)


def _example_item(export: Export, number: int, match: re.Match[str]) -> str:
    years, again = match["years"], match["again"]
    if again and again.replace(" ", "") != years.replace(" ", ""):
        export.note(
            number,
            "warning",
            "years-mismatch",
            f"example gives years {years} and {again}; kept {years}",
        )
    snippet = match["snippet"].strip()
    item = f"- **{match['title'].strip()}** ({years}, {match['region'].strip()})"
    return f"{item}: {snippet}" if snippet else item


def slug_list(export: Export, block: Block, parts: PageParts, *, links: bool) -> list[str]:
    """Related / Worked examples: `- slug` items become `related`; other lines stay text."""
    source_ids = {source["id"] for source in parts.sources}
    kept = []
    for line in block.content():
        export.placed.add(line.number)
        item = SLUG_ITEM.fullmatch(line.text.strip())
        if item is None:
            kept.append(line.text.strip())
            export.note(
                line.number,
                "warning",
                "unknown-line",
                f"`{block.heading}` line is not a `- slug` item; kept as written",
            )
            continue
        slug = item["slug"]
        if slug in source_ids and "/" not in slug:
            # The wiki lists a page's sources among its related pages by bare id.
            export.note(
                line.number,
                "info",
                "source-link",
                f"`{slug}` is one of the page's sources; related as `sources/{slug}`",
            )
            slug = f"sources/{slug}"
        existing = parts.existing(slug)
        if existing is not None:
            export.note(
                line.number,
                "info",
                "existing-page",
                f"`{slug}` written as `{existing}`, the page of that name in the folder",
            )
            slug = existing
        parts.add_related(slug)
        if links:
            kept.append(f"- [[{slug}]]")
    return kept


def sources(export: Export, block: Block, parts: PageParts) -> list[str]:
    kept = []
    for line in block.content():
        export.placed.add(line.number)
        found = SOURCE.fullmatch(line.text.strip())
        if found is None:
            kept.append(line.text.strip())
            export.note(
                line.number,
                "warning",
                "unknown-line",
                "not a `- id — grounding: level` source line; kept as written",
            )
            continue
        grounding = (found["grounding"] or "").casefold()
        if grounding not in GROUNDINGS:
            said = f"`{found['grounding']}`" if found["grounding"] else "no grounding"
            export.note(
                line.number,
                "warning",
                "grounding",
                f"source `{found['id']}` has {said}; written as `unverified`",
            )
            grounding = "unverified"
        if found["rest"]:
            export.note(
                line.number,
                "info",
                "source-size",
                f"export detail `{found['rest']}` of `{found['id']}` not copied",
            )
        parts.sources.append({"id": found["id"], "grounding": grounding})
    return kept


def verbatim(export: Export, block: Block) -> list[str]:
    export.placed.update(line.number for line in block.content())
    return paragraphs([line.text for line in block.content()])


def paragraphs(lines: list[str]) -> list[str]:
    """Export lines as Markdown: each text line is its own paragraph; list items stay a list."""
    out: list[str] = []
    previous_was_item = False
    for text in lines:
        if not text.strip():
            continue
        is_item = bool(LIST_ITEM.match(text))
        if out and not (is_item and previous_was_item):
            out.append("")
        out.append(text)
        previous_was_item = is_item
    return out
