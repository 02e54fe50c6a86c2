"""`lint(folder)`: every problem in a content folder, with a line and a fix hint.

Built on `load_pages`: what the loader finds (files that do not parse, unknown values,
missing fields) comes first; then checks of each page on its own (`page_checks`), then checks
across pages (duplicate names, links, translations, sources) that need the whole folder.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from retrieval.models import Finding, Page
from retrieval.wiki.loader import load_pages, page_files, slugify
from retrieval.wiki.page_checks import check_page, field_line

# How alike (0-100) a broken link's last segment and a slug's must be to suggest the slug:
# `rent-strikes` for `rent-strike`, never `strikes` for `sit-ins`.
SLUG_LIKENESS = 85


@dataclass(frozen=True)
class LintReport:
    """Findings sorted by file and line, and how many pages were looked at."""

    findings: tuple[Finding, ...]
    pages: int

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    def to_dict(self) -> dict[str, object]:
        return {
            "findings": [
                {"severity": f.severity, "path": f.path, "line": f.line, "column": f.column,
                 "rule": f.rule, "message": f.message, "hint": f.hint}
                for f in self.findings
            ],
            "errors": self.errors,
            "warnings": self.warnings,
            "pages": self.pages,
        }  # fmt: skip


def lint(folder: Path | str) -> LintReport:
    """Check every page under `folder`; never raises on bad content."""
    root = Path(folder)
    loaded = load_pages(root)
    findings = list(loaded.findings)
    slugs: list[str] = []
    if root.is_dir():
        slugs = [path.relative_to(root).as_posix().removesuffix(".md") for path in page_files(root)]
        for page in loaded.pages:
            findings.extend(check_page(page, _file_lines(root / page.path)))
        findings.extend(FolderChecks(loaded.pages, slugs).run())
    findings.sort(key=lambda f: (f.path, f.line, f.severity != "error", f.rule))
    return LintReport(tuple(findings), len(slugs))


def _file_lines(path: Path) -> list[str]:
    # The loader already accepted this file as UTF-8, so decoding cannot fail here.
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def name_key(name: str) -> str:
    """How a reader would type a name: case, hyphens and spacing do not matter."""
    return re.sub(r"[\s_-]+", " ", name.casefold()).strip()


class FolderChecks:
    """Checks that compare pages with each other: names, links, translations, sources."""

    def __init__(self, pages: Iterable[Page], slugs: Iterable[str]) -> None:
        self.pages = sorted(pages, key=lambda p: p.path)
        # Every page file counts as a link target, even one the loader could not read:
        # a broken page is reported once, not again by every link to it.
        self.slugs = set(slugs)
        self.folded: dict[str, list[str]] = defaultdict(list)
        self.by_basename: dict[str, list[str]] = defaultdict(list)
        for slug in sorted(self.slugs):
            self.folded[slug.casefold()].append(slug)
            self.by_basename[slug.rsplit("/", 1)[-1].casefold()].append(slug)
        self.by_slug = {page.slug: page for page in self.pages}
        # What a link may have been meant to say: slugs, titles and aliases as a reader types
        # them, and each slug's last segment for typos.
        self.names: dict[str, str] = {}
        for page in sorted(self.pages, key=lambda p: p.translation_of is not None):
            for name in (page.slug, page.slug.rsplit("/", 1)[-1], page.title, *page.aliases):
                self.names.setdefault(name_key(name), page.slug)  # originals first
        self.basenames = {slug: name_key(slug.rsplit("/", 1)[-1]) for slug in sorted(self.slugs)}
        self.anchors = {page.slug: {s.anchor for s in page.sections} for page in self.pages}

    def run(self) -> Iterator[Finding]:
        yield from self.duplicate_slugs()
        yield from self.duplicate_aliases()
        for page in self.pages:
            yield from self.related(page)
            yield from self.wikilinks(page)
            yield from self.translation(page)
            yield from self.source_pages(page)

    def duplicate_slugs(self) -> Iterator[Finding]:
        for same in self.folded.values():
            for slug in same[1:]:
                yield Finding(
                    "error", f"{slug}.md", 1, "duplicate-slug",
                    f"`{slug}` differs from `{same[0]}` only in letter case",
                    "rename one of the two files; slugs are matched without regard to case",
                )  # fmt: skip

    def duplicate_aliases(self) -> Iterator[Finding]:
        """An alias must name one page: not another page's slug or alias in the same language."""
        owners: dict[tuple[str, str], tuple[Page, str]] = {}
        for page in self.pages:
            owners.setdefault((page.lang, name_key(page.slug)), (page, "slug"))
        for page in self.pages:
            for index, alias in enumerate(page.aliases):
                key = (page.lang, name_key(alias))
                owner, what = owners.setdefault(key, (page, "alias"))
                if owner.slug == page.slug:
                    continue
                yield Finding(
                    "error", page.path, field_line(page, f"aliases.{index}", "aliases"),
                    "duplicate-alias", f"alias `{alias}` is also the {what} of `{owner.slug}`",
                    "remove the alias from one page, or make it more specific",
                )  # fmt: skip

    def resolve(
        self, page: Page, target: str, line: int, rule: str, column: int = 1
    ) -> Iterator[Finding]:
        """Findings for one link target: missing (error) or right only up to case (warning)."""
        if target in self.slugs:
            return
        close = self.folded.get(target.casefold())
        if close:
            yield Finding(
                "warning", page.path, line, "link-case",
                f"`{target}` matches `{close[0]}` only when letter case is ignored",
                f"write `{close[0]}`", column,
            )  # fmt: skip
            return
        guess = self.likely_slug(target)
        hint = f"did you mean `{guess}`?" if guess else "create the page or fix the slug"
        yield Finding("error", page.path, line, rule, f"`{target}` points to no page", hint, column)

    def likely_slug(self, target: str) -> str | None:
        """The page a broken link most likely means: one with the same last segment, a
        title or alias written as the link, or a slug a typo away."""
        same = self.by_basename.get(target.rsplit("/", 1)[-1].casefold())
        if same:
            return same[0]
        named = self.names.get(name_key(target))
        if named:
            return named
        last = name_key(target.rsplit("/", 1)[-1])
        best = process.extractOne(
            last, self.basenames, scorer=fuzz.ratio, score_cutoff=SLUG_LIKENESS
        )
        return best[2] if best else None

    def related(self, page: Page) -> Iterator[Finding]:
        for index, target in enumerate(page.related):
            yield from self.resolve(page, target, field_line(page, f"related.{index}", "related"),
                                    "broken-related")  # fmt: skip

    def wikilinks(self, page: Page) -> Iterator[Finding]:
        for link in page.links:
            target = link.target or page.slug  # `[[#section]]` links within the page
            problems = list(self.resolve(page, target, link.line, "broken-link", link.column))
            yield from problems
            if problems or link.anchor is None:
                continue
            # None when the target page could not be loaded: its own findings cover it.
            anchors = self.anchors.get(target)
            if anchors is not None and slugify(link.anchor) not in anchors:
                yield Finding(
                    "warning", page.path, link.line, "broken-anchor",
                    f"`{target}` has no section `{link.anchor}`",
                    f"link to one of its headings: {', '.join(sorted(anchors)) or '(none)'}",
                    link.column,
                )  # fmt: skip

    def translation(self, page: Page) -> Iterator[Finding]:
        if page.translation_of is None:
            return
        line = page.line_of("translation_of")
        original = self.by_slug.get(page.translation_of)
        if page.translation_of not in self.slugs:
            yield Finding(
                "error", page.path, line, "broken-translation",
                f"`translation_of: {page.translation_of}` points to no page",
                "name the slug of the original page, e.g. `translation_of: one-to-ones`",
            )  # fmt: skip
        elif page.translation_of == page.slug:
            yield Finding(
                "error", page.path, line, "translation-chain",
                "the page names itself in `translation_of`",
                f"name the original it translates, e.g. `translation_of: "
                f"{page.slug.split('/', 1)[-1]}`",
            )  # fmt: skip
        elif original is not None and original.translation_of:
            yield Finding(
                "error", page.path, line, "translation-chain",
                f"`{page.translation_of}` is itself a translation of `{original.translation_of}`",
                f"set `translation_of: {original.translation_of}`",
            )  # fmt: skip
        elif original is not None and original.lang == page.lang:
            yield Finding(
                "warning", page.path, page.line_of("lang"), "translation-lang",
                f"translation has the same language (`{page.lang}`) as its original",
                "set `lang:` to the language this page is written in",
            )  # fmt: skip

    def source_pages(self, page: Page) -> Iterator[Finding]:
        for index, source in enumerate(page.sources):
            slug = source.id if source.id.startswith("sources/") else f"sources/{source.id}"
            if slug not in self.slugs:
                yield Finding(
                    "warning", page.path, field_line(page, f"sources.{index}", "sources"),
                    "unknown-source", f"source `{source.id}` has no page `{slug}.md`",
                    f"write `{slug}.md` describing the source, or fix the id",
                )  # fmt: skip
