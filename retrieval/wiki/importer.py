"""Turn the wiki's plain-text page exports into our Markdown pages, reporting every decision.

`convert_export` is pure (text in, page text and decisions out); `import_exports` reads the
files, refuses to overwrite, and writes. Nothing is dropped silently: each non-blank export
line either lands in the page or is named in a decision with its line number.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from retrieval.models import KINDS, LANGUAGES, PILLARS, STATUSES, TIERS
from retrieval.wiki import export_sections as handle
from retrieval.wiki.export_format import Block, Decision, Export, Line, parse_export
from retrieval.wiki.export_names import SLUG, choose_slug, title_from_lead, title_from_slug
from retrieval.wiki.loader import page_files

DEFAULT_KIND = "method"
_CHOICES = {"kind": KINDS, "status": STATUSES, "tier": TIERS, "lang": LANGUAGES}
_TEXT_FIELDS = ("region", "country", "outcome")
_LIST_FIELDS = ("aliases", "tags", "pillar")
# Sections whose content moves into the front matter; they are written only for leftovers.
_FRONT_MATTER_SECTIONS = {"Related", "Sources & verification"}


@dataclass(frozen=True)
class Converted:
    """One export turned into a page: where it goes, its text, and what was decided."""

    slug: str
    markdown: str
    decisions: tuple[Decision, ...]
    # Non-blank export lines that neither the page nor a decision accounts for (a bug if any).
    unplaced: tuple[int, ...]


@dataclass(frozen=True)
class ImportReport:
    source: str
    output: str | None
    written: bool
    decisions: tuple[Decision, ...]

    @property
    def failed(self) -> bool:
        return any(d.level == "error" for d in self.decisions)

    def to_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "output": self.output,
            "written": self.written,
            "decisions": [
                {"line": d.line, "level": d.level, "action": d.action, "message": d.message}
                for d in self.decisions
            ],
        }


def import_exports(
    sources: Iterable[Path], out: Path, *, force: bool = False
) -> list[ImportReport]:
    """Convert each export file into `out/<slug>.md`; existing pages are kept unless `force`."""
    reports = []
    known = [p.relative_to(out).as_posix().removesuffix(".md") for p in page_files(out)]
    for source in sources:
        try:
            data = source.read_bytes()
        except OSError as exc:
            failure = Decision(0, "error", "unreadable", f"cannot read: {exc.strerror or exc}")
            reports.append(ImportReport(str(source), None, False, (failure,)))
            continue
        text, problem = decode_export(data)
        if text is None:
            reports.append(ImportReport(str(source), None, False, (problem,) if problem else ()))
            continue
        converted = convert_export(text, source.stem, known)
        decisions = ((problem,) if problem else ()) + converted.decisions
        target = out / f"{converted.slug}.md"
        if target.exists() and not force:
            refusal = Decision(0, "error", "exists", f"{target} exists; use --force to replace it")
            reports.append(ImportReport(str(source), str(target), False, (*decisions, refusal)))
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(converted.markdown, encoding="utf-8")
        reports.append(ImportReport(str(source), str(target), True, decisions))
    return reports


def decode_export(data: bytes) -> tuple[str | None, Decision | None]:
    """The export's text; older exports in Latin-1 are read, with a warning."""
    if not data.strip():
        return None, Decision(0, "error", "empty", "export is empty; nothing written")
    if b"\x00" in data or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, Decision(0, "error", "binary", "file is binary, not a text export")
    decision = None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # cp1252 is a superset of Latin-1 for printable text; fall back where it has holes.
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
        decision = Decision(0, "warning", "encoding",
                            "not UTF-8; read as Windows-1252 — check accented letters")  # fmt: skip
    return text.replace("\r\n", "\n").replace("\r", "\n"), decision


def convert_export(text: str, name: str, known: Iterable[str] = ()) -> Converted:
    """Our Markdown page for one export's text; `name` is its file name without extension,
    `known` the slugs of the pages already in the folder it is imported into."""
    export = parse_export(text)
    meta = _header_fields(export)
    if "title" not in meta:
        title_from_lead(export, meta)
    slug = choose_slug(export, name, meta)
    if "title" not in meta:
        meta["title"] = title_from_slug(slug)
        export.note(0, "info", "title", f"no `title:` header; title {meta['title']!r} from slug")
    parts = handle.PageParts(known=frozenset(known))
    summary_blocks = [b for b in export.blocks if b.heading == "Summary"]
    meta["summary"] = handle.choose_summary(export, summary_blocks, export.headers.get("summary"))
    bodies = _section_bodies(export, parts)
    if parts.related:
        meta["related"] = parts.related
    if parts.sources:
        meta["sources"] = parts.sources
    if export.verified is not None:
        date, who, _ = export.verified
        meta["verified"] = {"date": date, "by": who}
    else:
        export.note(0, "warning", "no-verified", "no `Verified DATE by WHO` line; `verified` unset")
    if export.unsorted:
        unsorted = sorted(export.unsorted, key=lambda line: line.number)
        bodies.append(("Unsorted", handle.paragraphs([line.text for line in unsorted])))
    markdown = _render(_ordered(meta), bodies)
    accounted = export.placed | {d.line for d in export.decisions}
    unplaced = tuple(
        number
        for number, line in enumerate(text.split("\n"), start=1)
        if line.strip() and number not in accounted
    )
    return Converted(slug, markdown, tuple(export.decisions), unplaced)


def _header_fields(export: Export) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    for key, line in export.headers.items():
        value = line.text.strip()
        raw = Line(line.number, f"{key}: {line.text}")
        if key in ("summary", "slug"):
            continue  # chosen later, with the rest of their kind
        if key in _CHOICES and value in _CHOICES[key]:
            meta[key] = value
        elif key == "title" and value:
            meta["title"] = value
        elif key == "translation_of" and SLUG.fullmatch(value):
            meta["translation_of"] = value
        elif key in _TEXT_FIELDS and value:
            meta[key] = value
        elif key in _LIST_FIELDS and value:
            items = [item.strip() for item in value.strip("[]").split(",") if item.strip()]
            if key != "pillar" or all(item in PILLARS for item in items):
                meta[key] = items
            else:
                export.keep_unsorted(raw, f"`pillar` must be among {', '.join(PILLARS)}")
        else:
            export.keep_unsorted(raw, f"header `{key}` is unknown or has an unusable value")
    if "kind" not in meta:
        meta["kind"] = DEFAULT_KIND
        export.note(0, "info", "kind", f"no usable `kind:` header; kind set to `{DEFAULT_KIND}`")
    return meta


def _section_bodies(export: Export, parts: handle.PageParts) -> list[tuple[str, list[str]]]:
    """Merge repeated headings, then let each section's handler turn lines into Markdown."""
    merged: dict[str, Block] = {}
    previous = None
    for block in export.blocks:
        if block.heading == "Summary":
            previous = block.heading
            continue
        if block.heading in merged:
            first = merged[block.heading]
            where = "in a row" if previous == block.heading else f"(first on line {first.line})"
            export.note(
                block.line,
                "info",
                "merged-heading",
                f"`{block.heading or 'lead'}` appears again {where}; merged",
            )
            first.lines.extend(block.lines)
        else:
            merged[block.heading] = Block(block.heading, block.line, list(block.lines))
        previous = block.heading
    # Sources first (Related needs their ids), then Related (its order leads `related`).
    done: dict[str, list[str]] = {}
    if "Sources & verification" in merged:
        done["Sources & verification"] = handle.sources(
            export, merged["Sources & verification"], parts
        )
    if "Related" in merged:
        done["Related"] = handle.slug_list(export, merged["Related"], parts, links=False)
    bodies = []
    for heading, block in merged.items():
        if heading in done:
            lines = done[heading]
        elif heading == "Examples":
            lines = handle.examples(export, block)
        elif heading == "Worked examples":
            lines = handle.slug_list(export, block, parts, links=True)
        else:
            lines = handle.verbatim(export, block)
        if lines or heading not in _FRONT_MATTER_SECTIONS:
            bodies.append((heading, lines))
    return bodies


_ORDER = (
    "title", "kind", "lang", "translation_of", "aliases", "summary", "pillar", "tags", "status",
    "tier", "related", "sources", "verified", "region", "country", "outcome",
)  # fmt: skip


def _ordered(meta: dict[str, Any]) -> dict[str, Any]:
    return {key: meta[key] for key in _ORDER if key in meta}


class _FrontMatterDumper(yaml.SafeDumper):
    """Short lists inline (`tags: [a, b]`), but always one field per line: left to itself,
    YAML writes a mapping of scalars alone as one `{title: ..., kind: ...}` line."""

    def represent(self, data: Any) -> None:
        node = self.represent_data(data)
        if isinstance(node, yaml.MappingNode):
            node.flow_style = False
        self.serialize(node)
        self.represented_objects, self.object_keeper, self.alias_key = {}, [], None


def _render(meta: dict[str, Any], bodies: list[tuple[str, list[str]]]) -> str:
    front = yaml.dump(
        meta, Dumper=_FrontMatterDumper, sort_keys=False, allow_unicode=True,
        default_flow_style=None, width=100,
    )  # fmt: skip
    parts = [f"---\n{front}---\n"]
    for heading, lines in bodies:
        text = "\n".join(lines).strip("\n")
        parts.append(f"{text}\n" if not heading else f"## {heading}\n\n{text}\n".rstrip() + "\n")
    return "\n".join(parts)
