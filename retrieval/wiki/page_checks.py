"""Checks that look at one page on its own: its text, its sections and its front matter.

The loader has already rejected what cannot be read; these checks find what reads fine but
would embarrass an answer (a `TBD` quoted to an organiser) or leave a maintainer guessing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from retrieval.models import Finding, Page, Severity
from retrieval.wiki.loader import path_language

PLACEHOLDER = re.compile(r"\b(TBD|TODO|FIXME)\b")
TRUNCATED = re.compile(r"\[TRUNC\]")
# A paragraph that stops on an ellipsis was usually cut by an export, not written that way.
TRAILING_CUT = re.compile(r"(…|\.\.\.)[\"'”’)\]*_]*$")
SLUG_PART = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^#{1,6}\s")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")


def check_page(page: Page, lines: list[str]) -> Iterator[Finding]:
    """Every single-page finding for `page`; `lines` is its file, split into lines."""
    yield from _check_slug(page)
    yield from _check_summary(page)
    yield from _check_sources(page)
    yield from _check_sections(page)
    yield from _check_placeholders(page, lines)
    yield from _check_translation_folder(page)


def _finding(
    page: Page, line: int, rule: str, message: str, hint: str, severity: Severity = "warning"
) -> Finding:
    return Finding(severity, page.path, line, rule, message, hint)


def _check_slug(page: Page) -> Iterator[Finding]:
    if not all(SLUG_PART.fullmatch(part) for part in page.slug.split("/")):
        yield _finding(
            page, 1, "slug-format", f"slug `{page.slug}` is not lowercase-kebab-case",
            "rename the file with lowercase words joined by hyphens, e.g. `one-to-ones.md`",
        )  # fmt: skip


def _check_summary(page: Page) -> Iterator[Finding]:
    if not page.summary:
        yield _finding(
            page, field_line(page, "summary", "title"), "missing-summary", "page has no summary",
            "add `summary:` with 2–4 sentences: the short answer a card shows first",
        )  # fmt: skip
    elif TRAILING_CUT.search(page.summary):
        yield _finding(
            page, page.line_of("summary"), "truncated", "summary ends in an ellipsis (cut off?)",
            "finish the last sentence of the summary", _quoted_severity(page),
        )  # fmt: skip


def field_line(page: Page, *keys: str) -> int:
    """The line of the first of `keys` the page writes (1 when it writes none)."""
    lines = dict(page.field_lines)
    return next((lines[key] for key in keys if key in lines), 1)


def _check_sources(page: Page) -> Iterator[Finding]:
    if page.status == "established":
        if not page.sources:
            yield _finding(
                page, page.line_of("status"), "established-unsourced",
                "an established page must name its sources",
                "add `sources:` entries, or set `status: emerging`", "error",
            )  # fmt: skip
        if page.verified is None:
            yield _finding(
                page, page.line_of("status"), "established-unverified",
                "an established page must say when it was last verified",
                "add `verified: {date: YYYY-MM-DD, by: your-name}`, or set `status: emerging`",
                "error",
            )  # fmt: skip
    elif not page.sources and page.kind != "source":
        # A source page describes a source; it does not need to cite one.
        yield _finding(
            page, page.line_of("title"), "no-sources", "page names no sources",
            "add `sources:` with at least one `{id: ..., grounding: ...}` entry",
        )  # fmt: skip


def _check_sections(page: Page) -> Iterator[Finding]:
    seen: dict[str, int] = {}
    for section in page.sections:
        key = section.heading.casefold()
        if key in seen:
            yield _finding(
                page, section.line, "duplicate-heading",
                f"heading `{section.heading}` already used on line {seen[key]}",
                "merge the two sections, or rename one",
            )  # fmt: skip
        else:
            seen[key] = section.line
        if not section.text:
            yield _finding(
                page, section.line, "empty-section", f"section `{section.heading}` is empty",
                "write the section or remove its heading",
            )  # fmt: skip


def _check_placeholders(page: Page, lines: list[str]) -> Iterator[Finding]:
    """Placeholder words anywhere outside code blocks; ellipsis cuts at a paragraph's end."""
    severity = _quoted_severity(page)
    in_fence = False
    for index, line in enumerate(lines):
        number = index + 1
        in_body = number >= page.body_line
        if in_body and _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        word = PLACEHOLDER.search(line)
        if word:
            yield _finding(
                page, number, "placeholder", f"placeholder `{word[1]}` left in the text",
                "write the missing text, or remove the line", severity,
            )  # fmt: skip
        if TRUNCATED.search(line):
            yield _finding(
                page, number, "truncated", "`[TRUNC]` marks text that was cut off",
                "restore the full sentence from the source, or end it cleanly", severity,
            )  # fmt: skip
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if in_body and TRAILING_CUT.search(line.rstrip()) and _ends_paragraph(following):
            yield _finding(
                page, number, "truncated", "paragraph ends in an ellipsis (cut off?)",
                "finish the sentence, or end it with a full stop", severity,
            )  # fmt: skip


def _ends_paragraph(following: str) -> bool:
    return not following.strip() or bool(_HEADING.match(following) or _LIST_ITEM.match(following))


def _quoted_severity(page: Page) -> Severity:
    # An established page is quoted to organisers as it stands, so a gap in it is an error.
    return "error" if page.status == "established" else "warning"


def _check_translation_folder(page: Page) -> Iterator[Finding]:
    folder = path_language(page.path)
    if folder is not None and folder != page.lang:
        yield _finding(
            page, page.line_of("lang"), "translation-lang",
            f"page is in the `{folder}/` folder but says `lang: {page.lang}`",
            f"set `lang: {folder}`, or move the file to `{page.lang}/`", "error",
        )  # fmt: skip
