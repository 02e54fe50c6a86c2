"""Read a folder of wiki pages into `Page` objects, exactly as written.

`load_pages` is a pure function of a folder: it never reads paths relative to the working
directory, never raises on bad content, and reports every problem of every file in one pass.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from pydantic import ValidationError

from retrieval.models import LANGUAGES, Finding, Link, Page, Section, SourceRef, Verified, Years
from retrieval.wiki.front_matter import read_yaml, split_front_matter
from retrieval.wiki.schema import KNOWN_FIELDS, FrontMatter, validation_problems

_HEADING = re.compile(r"^##\s+(?P<text>.+?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
WIKILINK = re.compile(
    r"\[\[(?P<target>[^\]\|#\n]*)(?:#(?P<anchor>[^\]\|\n]*))?(?:\|(?P<label>[^\]\n]*))?\]\]"
)


@dataclass(frozen=True)
class LoadResult:
    """Every page that could be read, and every problem found while reading."""

    pages: tuple[Page, ...]
    findings: tuple[Finding, ...]
    # sha256 of the bytes each file was read from, by slug: the build records exactly what
    # it read, even if a file changes or the folder goes while it runs.
    file_hashes: tuple[tuple[str, str], ...] = ()

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")

    def by_slug(self) -> dict[str, Page]:
        return {page.slug: page for page in self.pages}


def slugify(text: str) -> str:
    """The anchor a heading gets: lower case, words joined by hyphens."""
    words = re.findall(r"[\w]+", text.casefold())
    return "-".join(words)


def page_files(folder: Path) -> list[Path]:
    """The Markdown files of a content folder; `_drafts` and dotfiles are not pages."""
    files = []
    try:
        found = sorted(folder.rglob("*.md"))
    except OSError:  # the folder went while it was walked: as good as no pages
        return []
    for path in found:
        parts = path.relative_to(folder).parts
        if any(part.startswith((".", "_")) for part in parts) or path.name == "README.md":
            continue
        if not path.is_file():  # a folder named x.md, or a link to nowhere
            continue
        files.append(path)
    return files


def load_pages(folder: Path | str) -> LoadResult:
    """Load every page under `folder`, grouping translations with their originals."""
    root = Path(folder)
    if not root.is_dir():
        what = "is a file, not a folder" if root.exists() else "does not exist"
        missing = Finding(
            "error", str(root), 0, "no-folder", f"content folder {what}",
            "give the folder that holds the pages, or point `content_dir` in "
            "config/orgbot.toml at it",
        )  # fmt: skip
        return LoadResult((), (missing,))
    pages: list[Page] = []
    findings: list[Finding] = []
    hashes: list[tuple[str, str]] = []
    for path in page_files(root):
        rel = path.relative_to(root).as_posix()
        try:
            data = path.read_bytes()
        except OSError as exc:
            findings.append(
                Finding("error", rel, 1, "unreadable", f"cannot read the file: {exc.strerror}",
                        "check the file's permissions")
            )  # fmt: skip
            continue
        hashes.append((rel.removesuffix(".md"), hashlib.sha256(data).hexdigest()))
        page, problems = parse_page(data, rel)
        findings.extend(problems)
        if page is not None:
            pages.append(page)
    return LoadResult(tuple(group_translations(pages)), tuple(findings), tuple(hashes))


def group_translations(pages: Iterable[Page]) -> list[Page]:
    """Give each original the slugs of its translations, sorted by language."""
    pages = list(pages)
    translations: dict[str, list[Page]] = {}
    for page in pages:
        if page.translation_of:
            translations.setdefault(page.translation_of, []).append(page)
    grouped = []
    for page in pages:
        found = sorted(translations.get(page.slug, []), key=lambda p: p.lang)
        grouped.append(replace(page, translations=tuple(p.slug for p in found)) if found else page)
    return grouped


def decode(data: bytes, rel: str) -> tuple[str | None, Finding | None]:
    """UTF-8 text of a file, or a finding that says why it is not a text page."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None, Finding(
            "error", rel, 1, "encoding", "file is UTF-16, not UTF-8",
            "save the file as UTF-8 (e.g. `iconv -f utf-16 -t utf-8`)",
        )  # fmt: skip
    if b"\x00" in data[:8192]:
        return None, Finding(
            "error", rel, 1, "binary-file", "file is binary, not a Markdown page",
            "remove it from content/ or export the page as UTF-8 Markdown",
        )  # fmt: skip
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, Finding(
            "error", rel, line, "encoding", f"not valid UTF-8 (byte {data[exc.start]:#04x})",
            "save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8`)",
        )  # fmt: skip


def parse_page(data: bytes, rel: str) -> tuple[Page | None, list[Finding]]:
    """Parse one file's bytes; `rel` is its path under the content folder."""
    text, problem = decode(data, rel)
    if text is None:
        return None, [problem] if problem else []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    slug = rel.removesuffix(".md")
    if not text.strip():
        return None, [
            Finding("error", rel, 1, "empty-file", "file is empty",
                    "write front matter (title, kind) and a body, or delete the file")
        ]  # fmt: skip
    split = split_front_matter(text)
    if split is None:
        return None, [
            Finding("error", rel, 1, "no-front-matter", "page has no YAML front matter",
                    "start the file with a `---` line, `title:` and `kind:`, and a closing `---`")
        ]  # fmt: skip
    fm_text, body, body_line = split
    if body_line == 0:
        return None, [
            Finding("error", rel, 1, "front-matter-unclosed", "front matter is never closed",
                    "add a line `---` after the last front-matter field")
        ]  # fmt: skip
    raw, lines, problems = read_yaml(fm_text, rel)
    if raw is None:
        return None, problems
    findings = list(problems)
    try:
        meta = FrontMatter.model_validate(raw)
    except ValidationError as exc:
        for loc, message, hint in validation_problems(exc):
            rule = "missing-field" if "missing" in message else f"invalid-{loc[0]}"
            findings.append(Finding("error", rel, _line_for(loc, lines), rule, message, hint))
        return None, findings
    for key in raw:
        if str(key) not in KNOWN_FIELDS:
            findings.append(
                Finding("warning", rel, lines.get(str(key), 1), "unknown-field",
                        f"unknown front-matter field `{key}`",
                        "check the spelling against the content model, or remove it")
            )  # fmt: skip
    lead, sections, links = parse_body(body, body_line)
    page = Page(
        slug=slug,
        path=rel,
        title=meta.title,
        kind=meta.kind,
        lang=meta.lang,
        translation_of=meta.translation_of,
        aliases=tuple(meta.aliases),
        summary=meta.summary.strip(),
        summary_source=meta.summary_source,
        pillar=tuple(meta.pillar),
        tags=tuple(meta.tags),
        status=meta.status,
        tier=meta.tier,
        related=tuple(meta.related),
        sources=tuple(SourceRef(s.id, s.grounding, s.note) for s in meta.sources),
        verified=Verified(meta.verified.date, meta.verified.by) if meta.verified else None,
        region=meta.region,
        country=meta.country,
        years=Years(meta.years.start, meta.years.end) if meta.years else None,
        outcome=meta.outcome,
        lead=lead,
        sections=sections,
        links=links,
        field_lines=tuple(lines.items()),
        body_line=body_line,
    )
    return page, findings


def path_language(rel: str) -> str | None:
    """`de` for `de/one-to-ones.md`: a top folder named for a language holds translations."""
    first, _, rest = rel.partition("/")
    return first if rest and first in LANGUAGES else None


def _line_for(loc: list[str], lines: dict[str, int]) -> int:
    """The most precise known line for a location such as `sources.2.grounding`."""
    for end in range(len(loc), 0, -1):
        line = lines.get(".".join(loc[:end]))
        if line is not None:
            return line
    return 2


def parse_body(body: str, first_line: int) -> tuple[str, tuple[Section, ...], tuple[Link, ...]]:
    """Split a Markdown body into its lead and `## ` sections; collect wikilinks."""
    lead: list[str] = []
    sections: list[tuple[str, int, list[str]]] = []
    links: list[Link] = []
    in_fence = False
    for offset, line in enumerate(body.split("\n")):
        number = first_line + offset
        if _FENCE.match(line):
            in_fence = not in_fence
        heading = None if in_fence else _HEADING.match(line)
        if heading:
            sections.append((heading["text"].strip(), number, []))
            continue
        if not in_fence:
            links.extend(
                Link(
                    m["target"].strip(),
                    _clean(m["label"]),
                    number,
                    _clean(m["anchor"]),
                    column=m.start() + 1,
                )
                for m in WIKILINK.finditer(line)
            )
        if sections:
            sections[-1][2].append(line)
        elif not line.startswith("# "):
            lead.append(line)
    return (
        "\n".join(lead).strip(),
        tuple(Section(h, slugify(h), "\n".join(body).strip(), n) for h, n, body in sections),
        tuple(links),
    )


def _clean(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None
