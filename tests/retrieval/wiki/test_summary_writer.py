"""Writing a summary changes the summary and nothing else, or refuses and changes nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retrieval.wiki.importer import import_exports
from retrieval.wiki.loader import load_pages, parse_page
from retrieval.wiki.summaries import write_summary
from tests.paths import CONTENT, FIXTURES

EVERY_PAGE = sorted([*CONTENT.rglob("*.md"), *FIXTURES.rglob("*.md")])
KEYS = {"summary", "summary_source"}
SUMMARY = "A phone tree passes news fast: each member calls three others."


def without_summary(data: bytes) -> bytes:
    """The page with its `summary` and `summary_source` entries cut out, and nothing else.

    A block entry owns its lines from its key to the end of its value; an entry of a
    one-line `{...}` mapping owns its text and the comma that separates it from the next.
    """
    text = data.decode("utf-8-sig")
    bom = data[: len(data) - len(text.encode())]
    lines = re.split(r"\r\n|\r|\n", text)
    close = next(i for i in range(1, len(lines)) if re.fullmatch(r"-{3,}[ \t]*", lines[i]))
    fm = "\n" + "\n".join(lines[1:close])
    root = yaml.compose(fm, Loader=yaml.SafeLoader)
    starts = [0, *(m.end() for m in re.finditer(r"\r\n|\r|\n", text))]

    def offset(index: int) -> int:
        return starts[fm.count("\n", 0, index)] + index - (fm.rfind("\n", 0, index) + 1)

    # From the last entry back, so each cut leaves the positions of the earlier ones valid.
    for key, value in reversed(root.value):
        if key.value not in KEYS:
            continue
        end = max(value.end_mark.index, key.end_mark.index)
        while end > key.end_mark.index and fm[end - 1] in " \t\n":
            end -= 1
        if root.flow_style:
            start, stop = offset(key.start_mark.index), offset(end)
            after = re.match(r"\s*,\s*", text[stop:])
            before = re.search(r",\s*$", text[:start])
            if after:
                stop += after.end()
            elif before:
                start = before.start()
        else:
            first, last = fm.count("\n", 0, key.start_mark.index), fm.count("\n", 0, end)
            start, stop = starts[first], starts[last + 1]
        text = text[:start] + text[stop:]
    return bom + text.encode()


def body(data: bytes) -> bytes:
    """Everything after the closing fence line, as bytes."""
    text = data.decode("utf-8-sig")
    parts = re.split(r"(\r\n|\r|\n)", text)
    fences = [i for i in range(2, len(parts), 2) if re.fullmatch(r"-{3,}[ \t]*", parts[i])]
    return "".join(parts[fences[0] + 1 :]).encode()


def check_rewrite(path: Path, summary: str) -> None:
    """Write `summary` into `path`: either exactly that changes, or nothing does."""
    before = path.read_bytes()
    page, _ = parse_page(before, path.name)
    refusal = write_summary(path, summary)
    after = path.read_bytes()
    if page is None:
        assert refusal and after == before, "a page that does not load must be left alone"
        return
    assert refusal is None, refusal
    written, errors = parse_page(after, path.name)
    assert written is not None and not [f for f in errors if f.severity == "error"]
    assert written.summary == summary.strip() and written.summary_source == "extracted"
    assert body(after) == body(before)
    assert without_summary(after) == without_summary(before)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pages")


summaries = st.text(st.characters(exclude_categories=("Cs",)), max_size=200)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(source=st.sampled_from(EVERY_PAGE), summary=summaries)
def test_every_page_of_the_wiki_and_the_fixtures_round_trips(
    scratch: Path, source: Path, summary: str
) -> None:
    page = scratch / source.name
    page.write_bytes(source.read_bytes())
    check_rewrite(page, summary)


def test_every_page_round_trips_once_each(scratch: Path) -> None:
    """The sample above may skip a page; here each one is written once."""
    assert len(EVERY_PAGE) > 90
    for source in EVERY_PAGE:
        page = scratch / source.name
        page.write_bytes(source.read_bytes())
        check_rewrite(page, SUMMARY)


_summary_entries = st.sampled_from(
    [
        "",
        "summary: TBD\n",
        "summary:\n",
        "summary: 'Quoted: with a colon.'\n",
        "summary: >-\n  Folded over\n  two lines.\n\n",
        "summary: |\n  Literal\n   kept.\n",
        "summary: Plain text that\n  continues here.\n",
        "summary: x  # a comment on the line\n",
        "summary_source: written\nsummary: TBD\n",
    ]
)
_other_entries = st.lists(
    st.sampled_from(
        [
            "tags: [unions, housing]\n",
            "aliases:\n  - one on ones\n  - 1:1s\n",
            "# a comment between fields\n",
            "\n",
            "status: emerging\n",
            "sources:\n  - {id: moblab, grounding: secondary}\n",
            "related: [one-to-ones]  # trailing comment\n",
        ]
    ),
    max_size=4,
)
_bodies = st.lists(
    st.sampled_from(
        [
            "summary: a body line that only looks like front matter\n",
            "---\n",
            "-----\n",
            "## How it works\n",
            "Each member calls three others.\n",
            "kind: not front matter either\n",
            "\n",
        ]
    ),
    max_size=6,
)


@st.composite
def pages(draw: st.DrawFn) -> bytes:
    """A page as people write them: any fence length, comments, odd summaries, CRLF, a BOM."""
    fence = "-" * draw(st.integers(3, 6)) + draw(st.sampled_from(["", " "]))
    before, after = draw(_other_entries), draw(_other_entries)
    head = ["title: Phone trees\n", "kind: method\n"]
    if draw(st.booleans()):
        head.reverse()
    entries = [*before, *head, draw(_summary_entries), *after]
    text = f"{fence}\n{''.join(entries)}{fence}\n{''.join(draw(_bodies))}"
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    data = text.replace("\n", newline).encode()
    return (b"\xef\xbb\xbf" if draw(st.booleans()) else b"") + data


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=pages(), summary=summaries)
def test_pages_as_people_write_them_round_trip(scratch: Path, data: bytes, summary: str) -> None:
    page = scratch / "generated.md"
    page.write_bytes(data)
    check_rewrite(page, summary)


def test_a_page_our_importer_wrote_with_only_scalar_fields(tmp_path: Path) -> None:
    export = tmp_path / "phone-trees.txt"
    export.write_text("title: Phone trees\nkind: method\nBody\nEach member calls three.\n")
    (report,) = import_exports([export], tmp_path / "out")
    check_rewrite(Path(report.output or ""), SUMMARY)


def test_a_one_line_front_matter_older_imports_wrote(tmp_path: Path) -> None:
    page = tmp_path / "phone-trees.md"
    page.write_text("---\n{title: Phone trees, kind: method, summary: ''}\n---\n\nBody.\n")
    check_rewrite(page, SUMMARY)
    assert load_pages(tmp_path).pages[0].summary == SUMMARY


def test_long_fences_keep_a_body_line_that_looks_like_a_summary(tmp_path: Path) -> None:
    page = tmp_path / "phone-trees.md"
    page.write_text(
        "-----\ntitle: Phone trees\nkind: method\n-----\n\nsummary: part of the body\n\n"
        "---\n\nMore body.\n"
    )
    check_rewrite(page, SUMMARY)
    assert "summary: part of the body\n" in page.read_text()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("---\ntitle: T\nkind: method\n", "does not load"),
        ("-----\ntitle: [unclosed\n-----\n", "does not load"),
        ("---\ntitle: T\nkind: method\naliases: &s [x]\nsummary: *s\n---\n", "does not load"),
        ("---\ntitle: T\nkind: method\nsummary: &s Text.\naliases: [*s]\n---\n", "alias"),
    ],
)
def test_what_cannot_be_rewritten_safely_is_refused_and_left_alone(
    tmp_path: Path, text: str, reason: str
) -> None:
    page = tmp_path / "p.md"
    page.write_text(text)
    refusal = write_summary(page, SUMMARY)
    assert refusal is not None and reason in refusal
    assert page.read_text() == text
