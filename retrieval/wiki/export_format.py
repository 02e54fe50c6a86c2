"""Read the Campaigning Wiki's plain-text page export into sections, line by line.

The export is `key: value` header lines, then section headings as bare lines (`Summary`,
`Body`, `Examples`, ...), list items, and a closing `Verified DATE by WHO`. Real exports
repeat headings and leave placeholders, so this step only groups lines and remembers where
each came from; `importer` decides what each section becomes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Literal

Level = Literal["info", "warning", "error"]

# Headings the wiki's exporter writes, keyed by how they compare (case and spacing ignored).
KNOWN_HEADINGS = {
    "summary": "Summary", "body": "Body", "how it works": "How it works",
    "how to use": "How to use", "how to use it": "How to use it", "use it for": "Use it for",
    "potential risks": "Potential risks", "risks": "Risks", "examples": "Examples",
    "worked examples": "Worked examples", "case studies": "Case studies",
    "related": "Related", "open questions": "Open questions", "notes": "Notes",
    "further reading": "Further reading", "sources & verification": "Sources & verification",
    "sources and verification": "Sources & verification", "sources": "Sources & verification",
}  # fmt: skip
HEADER = re.compile(r"(?P<key>[A-Za-z][\w-]*):(?:\s+(?P<value>.*))?")
VERIFIED = re.compile(r"Verified\s+(?P<date>\d{4}-\d{2}-\d{2})\s+by\s+(?P<who>.+?)\.?")


@dataclass(frozen=True)
class Decision:
    """One thing the importer did that a maintainer may want to check, with its source line."""

    line: int  # 0: about the whole file
    level: Level
    action: str
    message: str


@dataclass(frozen=True)
class Line:
    number: int
    text: str


@dataclass
class Block:
    """The lines under one occurrence of a heading (or before the first heading)."""

    heading: str
    line: int
    lines: list[Line] = field(default_factory=list)

    def content(self) -> list[Line]:
        return [line for line in self.lines if line.text.strip()]


@dataclass
class Export:
    """An export split up: header fields, heading blocks in order, the Verified line."""

    headers: dict[str, Line] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    verified: tuple[dt.date, str, int] | None = None
    decisions: list[Decision] = field(default_factory=list)
    # Lines that go nowhere else but must not be lost: written under `## Unsorted`.
    unsorted: list[Line] = field(default_factory=list)
    # Line numbers already placed somewhere; the importer adds the ones it places.
    placed: set[int] = field(default_factory=set)

    def note(self, line: int, level: Level, action: str, message: str) -> None:
        self.decisions.append(Decision(line, level, action, message))

    def keep_unsorted(self, line: Line, why: str) -> None:
        self.unsorted.append(line)
        self.placed.add(line.number)
        self.note(line.number, "warning", "unknown-line", f"{why}; kept under `## Unsorted`")


def heading_of(text: str) -> str | None:
    """The canonical heading a bare line names, or None for ordinary text."""
    return KNOWN_HEADINGS.get(re.sub(r"\s+", " ", text.strip().casefold()))


def parse_export(text: str) -> Export:
    """Group an export's lines under their headings; never raises."""
    export = Export()
    in_header = True
    current: Block | None = None
    for number, raw in enumerate(text.split("\n"), start=1):
        line = Line(number, raw.rstrip())
        stripped = line.text.strip()
        heading = heading_of(stripped) if stripped else None
        header = HEADER.fullmatch(stripped) if in_header and stripped else None
        if header and heading is None:
            _read_header(export, line, header["key"].casefold(), (header["value"] or "").strip())
            continue
        if stripped:
            in_header = False
        verified = VERIFIED.fullmatch(stripped)
        if verified and _read_verified(export, line, verified["date"], verified["who"]):
            continue
        if heading is not None:
            current = Block(heading, number)
            export.blocks.append(current)
            export.placed.add(number)
        elif current is None:
            if stripped:
                current = Block("", number)  # text before any heading: the page's lead
                export.blocks.append(current)
                current.lines.append(line)
        else:
            current.lines.append(line)
    return export


def _read_header(export: Export, line: Line, key: str, value: str) -> None:
    if key in export.headers:
        previous = export.headers[key].number
        export.keep_unsorted(line, f"header `{key}` repeats line {previous}")
        return
    export.headers[key] = Line(line.number, value)
    export.placed.add(line.number)


def _read_verified(export: Export, line: Line, date_text: str, who: str) -> bool:
    try:
        date = dt.date.fromisoformat(date_text)
    except ValueError:
        export.note(line.number, "warning", "bad-verified", f"`{date_text}` is not a real date")
        return False
    if export.verified is not None:
        export.keep_unsorted(line, f"second Verified line (first on line {export.verified[2]})")
        return True
    export.verified = (date, who.strip(), line.number)
    export.placed.add(line.number)
    return True
