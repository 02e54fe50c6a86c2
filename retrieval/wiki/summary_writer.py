"""Write an extracted summary into a page's front matter and change nothing else.

Only the `summary` and `summary_source` entries are replaced; every other byte of the file
(the other entries, comments, fences of any length, line endings, a byte-order mark, the
body) stays as it was. The rewritten page is read back with the loader before it is saved:
when it would not read back as the same page with the new summary, the page is left alone
and the reason is returned, so one odd page never costs another its summary.
"""

from __future__ import annotations

import codecs
import os
import re
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from retrieval.errors import OrgbotError
from retrieval.models import Page
from retrieval.wiki.front_matter import split_front_matter
from retrieval.wiki.loader import parse_page

KEYS = frozenset({"summary", "summary_source"})
_LINE_END = re.compile(r"\r\n|\r|\n")  # the loader's line ends, and no others
_ANCHORS = ("kind", "title")  # a new summary goes after the first of these the page has


class SummaryRefused(OrgbotError):
    """The page cannot be rewritten safely; the message says why, and it was left as it was."""


def write_summary(path: Path, summary: str) -> str | None:
    """Put `summary` into the page at `path`; None when written, else why it was not.

    The file is replaced atomically, so a full disk leaves the old page whole.
    """
    try:
        new = rewrite_summary(path.read_bytes(), path.name, summary)
        _replace_file(path, new)
    except SummaryRefused as exc:
        return str(exc)
    except OSError as exc:
        return f"cannot write the page: {exc.strerror or exc}"
    return None


def rewrite_summary(data: bytes, rel: str, summary: str) -> bytes:
    """The page's bytes with `summary` as its extracted summary; SummaryRefused if unsafe."""
    before, findings = parse_page(data, rel)
    if before is None:
        first = next((f for f in findings if f.severity == "error"), None)
        where = f"line {first.line}: {first.message}" if first else "it does not load"
        raise SummaryRefused(f"the page does not load ({where}); fix it first")
    summary = summary.strip()
    page = _Lines.of(data)
    root = page.root()
    attempts = ("block", "quoted") if root.flow_style is False else ("flow",)
    problem = ""
    for style in attempts:
        candidate = page.with_summary(root, summary, style)
        problem = _reads_back(before, candidate, rel, summary)
        if not problem:
            return candidate
    raise SummaryRefused(f"rewriting would {problem}; write the summary by hand")


@dataclass(frozen=True)
class _Lines:
    """A page's text split the way the loader splits it, with each line's own ending."""

    bom: bool
    text: str
    starts: list[int]  # where each line starts in `text`
    fm_text: str  # as the loader hands it to YAML: a line break, then the front matter lines

    @classmethod
    def of(cls, data: bytes) -> _Lines:
        text = data.decode("utf-8-sig")
        starts = [0, *(match.end() for match in _LINE_END.finditer(text))]
        split = split_front_matter("\n".join(_LINE_END.split(text)))
        if split is None or split[2] == 0:  # the loader accepted it, so this cannot happen
            raise SummaryRefused("the page has no closed front matter")
        return cls(data.startswith(codecs.BOM_UTF8), text, starts, split[0])

    def root(self) -> yaml.MappingNode:
        # The pure-Python loader: its marks count characters (libyaml's may count bytes).
        try:
            root = yaml.compose(self.fm_text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as exc:
            raise SummaryRefused(f"its front matter cannot be located exactly ({exc})") from None
        if not isinstance(root, yaml.MappingNode) or not root.value:
            raise SummaryRefused("its front matter is not a mapping")
        return root

    def line_of(self, index: int) -> int:
        """The file line (0-based) of a character of `fm_text`: line 0 is the opening fence."""
        return self.fm_text.count("\n", 0, index)

    def offset(self, index: int) -> int:
        """The position in the file's text of a character of `fm_text`."""
        line_start = self.fm_text.rfind("\n", 0, index) + 1
        return self.starts[self.line_of(index)] + index - line_start

    def ending(self) -> str:
        """The opening fence's line ending, for new lines."""
        found = _LINE_END.search(self.text)
        return found.group() if found else "\n"

    def with_summary(self, root: yaml.MappingNode, summary: str, style: str) -> bytes:
        if style == "flow":
            edits = _flow_edits(self, root, summary)
        else:
            edits = _block_edits(self, root, summary, style)
        text = self.text
        for start, end, new in sorted(edits, reverse=True):
            text = text[:start] + new + text[end:]
        return (codecs.BOM_UTF8 if self.bom else b"") + text.encode("utf-8")


def _value_end(fm_text: str, key: yaml.Node, value: yaml.Node) -> int:
    """Where an entry's value ends, before any line breaks and blanks YAML counted with it."""
    end = max(value.end_mark.index, key.end_mark.index)
    while end > key.end_mark.index and fm_text[end - 1] in " \t\n":
        end -= 1
    return end


def _block_edits(
    lines: _Lines, root: yaml.MappingNode, summary: str, style: str
) -> list[tuple[int, int, str]]:
    """Remove the summary entries' lines; write the new entries where the first one was."""
    fm = lines.fm_text
    spans = []  # (first line, last line, key) of every entry
    for key, value in root.value:
        first = lines.line_of(key.start_mark.index)
        if fm[fm.rfind("\n", 0, key.start_mark.index) + 1 : key.start_mark.index].strip():
            raise SummaryRefused(f"its front matter line {first + 1} holds more than one entry")
        last = lines.line_of(_value_end(fm, key, value))
        spans.append((first, last, key.value if isinstance(key, yaml.ScalarNode) else None))
    ours = [(first, last) for first, last, name in spans if name in KEYS]
    others = [(first, last) for first, last, name in spans if name not in KEYS]
    if any(a <= d and c <= b for a, b in ours for c, d in others):
        raise SummaryRefused("its summary shares a line with another field")
    indent = " " * root.value[0][0].start_mark.column
    entry = _block_entry(summary) if style == "block" else _quoted_entry(summary)
    block = "".join(indent + line + lines.ending() for line in entry)
    if ours:
        edits = [(lines.starts[first], lines.starts[last + 1], "") for first, last in ours]
        return [(edits[0][0], edits[0][1], block), *edits[1:]]
    after = next((last for name in _ANCHORS for _, last, key in spans if key == name), spans[-1][1])
    return [(lines.starts[after + 1], lines.starts[after + 1], block)]


def _block_entry(summary: str) -> list[str]:
    dumped = yaml.safe_dump(
        {"summary": summary, "summary_source": "extracted"},
        allow_unicode=True, sort_keys=False, width=92,
    )  # fmt: skip
    return dumped.rstrip("\n").split("\n")


def _quoted(summary: str) -> str:
    """`summary` as one double-quoted YAML scalar on one line: every character escapable."""
    return yaml.safe_dump(summary, default_style='"', width=2**30, allow_unicode=True).strip()


def _quoted_entry(summary: str) -> list[str]:
    return [f"summary: {_quoted(summary)}", "summary_source: extracted"]


def _flow_edits(lines: _Lines, root: yaml.MappingNode, summary: str) -> list[tuple[int, int, str]]:
    """In `{title: …, kind: …}` front matter: replace the values in place, or add entries."""
    fm = lines.fm_text
    entries = [(k, v) for k, v in root.value if isinstance(k, yaml.ScalarNode)]
    found = {name: [(k, v) for k, v in entries if k.value == name] for name in KEYS}
    if any(len(pairs) > 1 for pairs in found.values()):
        raise SummaryRefused("its one-line front matter sets the summary twice")
    edits: list[tuple[int, int, str]] = []
    new_source = "summary_source: extracted"
    if found["summary_source"]:
        key, value = found["summary_source"][0]
        start, end = lines.offset(value.start_mark.index), lines.offset(_value_end(fm, key, value))
        edits.append((start, end, "extracted"))
        new_source = ""
    if found["summary"]:
        key, value = found["summary"][0]
        end = lines.offset(_value_end(fm, key, value))
        edits.append((lines.offset(key.start_mark.index), end, f"summary: {_quoted(summary)}"))
        if new_source:
            edits.append((end, end, f", {new_source}"))
        return edits
    anchor = next(((k, v) for name in _ANCHORS for k, v in entries if k.value == name), None)
    if anchor is None:
        raise SummaryRefused("its one-line front matter has no `kind` or `title` to follow")
    end = lines.offset(_value_end(fm, *anchor))
    added = ", ".join(filter(None, (f"summary: {_quoted(summary)}", new_source)))
    return [*edits, (end, end, f", {added}")]


def _reads_back(before: Page, data: bytes, rel: str, summary: str) -> str:
    """What rewriting would break, or "" when the page reads back the same but for the summary."""
    after, findings = parse_page(data, rel)
    errors = [f for f in findings if f.severity == "error"]
    if after is None or errors:
        detail = f"{errors[0].message} (line {errors[0].line})" if errors else "it does not load"
        return f"leave front matter that does not read back: {detail}"
    if after.summary != summary or after.summary_source != "extracted":
        return "not keep the summary exactly as written"
    if _comparable(after) != _comparable(before):
        changed = [
            name for name in Page.__dataclass_fields__
            if getattr(_comparable(after), name) != getattr(_comparable(before), name)
        ]  # fmt: skip
        return f"change `{', '.join(changed)}`"
    return ""


def _comparable(page: Page) -> Page:
    """A page without its summary and the line numbers a longer front matter shifts."""
    return replace(
        page, summary="", summary_source="written", field_lines=(), body_line=0,
        sections=tuple(replace(s, line=0) for s in page.sections),
        links=tuple(replace(link, line=0) for link in page.links),
    )  # fmt: skip


def _replace_file(path: Path, data: bytes) -> None:
    """Write beside the page, then rename over it: the page is never half written."""
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
