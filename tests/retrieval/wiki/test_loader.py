"""The loader reads pages exactly as written and turns any bad file into findings."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from retrieval.models import Link
from retrieval.wiki.loader import load_pages, parse_page
from tests.paths import FIXTURES, REPO

WIKI = FIXTURES / "loader-wiki"
BAD = FIXTURES / "bad-pages"
HOSTILE = FIXTURES / "hostile"


@pytest.fixture(scope="module")
def wiki() -> dict[str, object]:
    result = load_pages(WIKI)
    assert result.findings == ()
    return dict(result.by_slug())


def test_every_fixture_page_loads(wiki: dict[str, object]) -> None:
    assert sorted(wiki) == [
        "case-studies/rent-strike", "de/one-to-ones", "house-meetings", "one-to-ones",
        "sources/organising-handbook",
    ]  # fmt: skip


def test_front_matter_fields_are_typed() -> None:
    page = load_pages(WIKI).by_slug()["one-to-ones"]
    assert page.title == "One-to-ones"
    assert page.aliases == ("one-on-ones", "relational meetings")
    assert page.summary.startswith("A one-to-one is a planned conversation")
    assert page.status == "established" and page.tier == "core"
    assert page.sources[0].id == "organising-handbook"
    assert page.sources[0].grounding == "secondary"
    assert page.verified is not None and page.verified.by == "test-editors"
    assert str(page.verified.date) == "2026-01-15"


def test_lead_and_sections_in_order() -> None:
    page = load_pages(WIKI).by_slug()["one-to-ones"]
    assert page.lead == "A short lead before any heading."
    assert [s.heading for s in page.sections] == ["How it works", "Use it for"]
    assert [s.anchor for s in page.sections] == ["how-it-works", "use-it-for"]
    # A `##` line inside a code block is text, not a heading.
    assert "## Not a heading" in page.sections[1].text


def test_line_numbers_point_into_the_file() -> None:
    page = load_pages(WIKI).by_slug()["one-to-ones"]
    lines = (WIKI / "one-to-ones.md").read_text().split("\n")
    for section in page.sections:
        assert lines[section.line - 1] == f"## {section.heading}"
    assert lines[page.line_of("status") - 1].startswith("status:")
    assert lines[page.line_of("sources.0") - 1].strip().startswith("- {id: organising-handbook")
    assert lines[page.body_line - 1] == ""  # the blank line after the closing fence


def test_links_keep_labels_and_anchors_but_skip_code() -> None:
    page = load_pages(WIKI).by_slug()["one-to-ones"]
    lines = (WIKI / "one-to-ones.md").read_text().split("\n")
    assert [(link.target, link.label, link.line, link.anchor) for link in page.links] == [
        ("house-meetings", "a house meeting", 24, None),
        ("case-studies/rent-strike", None, 28, "what-happened"),
    ]
    for link in page.links:  # each column points at the link's opening brackets
        assert lines[link.line - 1][link.column - 1 :].startswith("[[" + link.target)


def test_translations_are_grouped_with_their_original() -> None:
    pages = load_pages(WIKI).by_slug()
    assert pages["one-to-ones"].translations == ("de/one-to-ones",)
    assert pages["de/one-to-ones"].translation_of == "one-to-ones"
    assert pages["de/one-to-ones"].original_slug == "one-to-ones"
    assert pages["house-meetings"].translations == ()


def test_case_study_fields() -> None:
    page = load_pages(WIKI).by_slug()["case-studies/rent-strike"]
    assert page.kind == "case-study" and page.region == "Europe"
    assert page.years is not None and str(page.years) == "2019–2020"


@pytest.mark.parametrize(
    ("name", "rule", "line"),
    [
        ("empty.md", "empty-file", 1),
        ("binary.md", "binary-file", 1),
        ("latin1.md", "encoding", 2),
        ("utf16.md", "encoding", 1),
        ("list-front-matter.md", "front-matter-shape", 2),
        ("unclosed.md", "front-matter-unclosed", 1),
        ("bad-yaml.md", "yaml", 3),
        ("no-front-matter.md", "no-front-matter", 1),
    ],
)
def test_bad_files_become_findings(name: str, rule: str, line: int) -> None:
    page, findings = parse_page((BAD / name).read_bytes(), name)
    assert page is None
    assert [(f.rule, f.line, f.severity) for f in findings] == [(rule, line, "error")]
    assert findings[0].hint


def test_only_front_matter_is_a_page_without_body() -> None:
    page, findings = parse_page((BAD / "only-front-matter.md").read_bytes(), "x.md")
    assert findings == [] and page is not None
    assert page.title == "Only front matter" and page.sections == () and page.lead == ""


def test_bom_and_crlf_are_read_like_plain_utf8() -> None:
    bom, _ = parse_page((BAD / "bom.md").read_bytes(), "bom.md")
    crlf, _ = parse_page((BAD / "crlf.md").read_bytes(), "crlf.md")
    assert bom is not None and bom.title == "With a BOM" and bom.sections[0].line == 6
    assert crlf is not None and crlf.sections[0].heading == "First"
    assert crlf.links == (Link("bom", "the BOM page", 8, column=5),)


def test_errors_name_the_right_line_after_blank_lines() -> None:
    data = b"---\n\n\ntitle: x\nkind: bogus\n---\n"
    _, findings = parse_page(data, "x.md")
    assert [(f.rule, f.line) for f in findings] == [("invalid-kind", 5)]


def test_impossible_date_is_a_finding_not_a_crash() -> None:
    data = b"---\ntitle: x\nkind: method\nverified: {date: 2026-02-30, by: me}\n---\n"
    page, findings = parse_page(data, "x.md")
    assert page is None and [(f.rule, f.line) for f in findings] == [("yaml", 4)]


def test_duplicate_key_is_warned_about() -> None:
    page, findings = parse_page(b"---\ntitle: a\ntitle: b\nkind: method\n---\n", "x.md")
    assert page is not None and page.title == "b"
    assert [(f.rule, f.line, f.severity) for f in findings] == [("duplicate-field", 3, "warning")]


def test_whole_folder_reports_every_bad_file_in_one_pass() -> None:
    result = load_pages(BAD)
    failing = {f.path for f in result.errors}
    assert failing == {
        "empty.md", "binary.md", "latin1.md", "utf16.md", "list-front-matter.md",
        "unclosed.md", "bad-yaml.md", "no-front-matter.md",
    }  # fmt: skip
    assert {p.slug for p in result.pages} == {"only-front-matter", "bom", "crlf"}


def test_missing_folder_is_a_finding(tmp_path: Path) -> None:
    result = load_pages(tmp_path / "nowhere")
    assert result.pages == () and result.findings[0].rule == "no-folder"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    page, findings = parse_page(data, "any.md")
    assert page is not None or findings
    assert all(f.line >= 1 and f.hint for f in findings)


_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20) | st.dates(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)
_keys = st.sampled_from(
    ["title", "kind", "lang", "status", "tier", "sources", "verified", "years", "aliases",
     "related", "summary", "pillar", "tags", "translation_of", "other"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_keys, _values, max_size=8), st.text(max_size=80))
def test_arbitrary_front_matter_mappings_never_raise(meta: dict[str, object], body: str) -> None:
    text = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + body
    page, findings = parse_page(text.encode("utf-8", "surrogatepass"), "any.md")
    assert page is not None or findings
    assert all(f.line >= 1 for f in findings)
    if page is None:
        assert any(f.severity == "error" for f in findings)


def nested_aliases(levels: int, field: str = "tags") -> bytes:
    """A page whose `field` is `levels` lines of aliases, each nine of the one before."""
    lines = ["---", "title: Nested", "kind: method", "a0: &a0 [" + ", ".join(["lol"] * 9) + "]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    lines += [f"{field}: *a{levels - 1}", "---", "Body."]
    return "\n".join(lines).encode()


@pytest.mark.parametrize("field", ["tags", "title", "aliases", "related", "sources", "summary"])
def test_front_matter_that_expands_past_the_bound_is_one_finding(field: str) -> None:
    # 9**6 values: small enough to expand here if the bound ever goes, big enough to refuse.
    page, findings = parse_page(nested_aliases(6, field), "nested.md")
    assert page is None
    assert [(f.rule, f.line, f.severity) for f in findings] == [("front-matter-size", 8, "error")]
    assert "`a4` expands to" in findings[0].message and "10,000 values" in findings[0].message
    assert "instead of nesting aliases" in findings[0].hint


def test_a_value_that_contains_itself_is_a_finding() -> None:
    page, findings = parse_page(b"---\ntitle: T\nkind: method\ntags: &t [*t]\n---\n", "x.md")
    assert page is None and [(f.rule, f.line) for f in findings] == [("front-matter-size", 4)]


def test_aliases_within_the_bound_still_load() -> None:
    data = b"---\ntitle: T\nkind: method\ntags: &t [unions, housing]\naliases: *t\n---\n"
    page, findings = parse_page(data, "x.md")
    assert findings == [] and page is not None and page.aliases == ("unions", "housing")


def test_a_billion_laughs_is_reported_in_seconds_with_bounded_memory() -> None:
    """9**9 values once expanded: the loader must measure it without expanding it."""
    child = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))\n"
        "from retrieval.wiki.loader import parse_page\n"
        "page, findings = parse_page(open(sys.argv[1], 'rb').read(), 'alias-bomb.md')\n"
        "print(page, [(f.rule, f.line) for f in findings])\n"
    )
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", child, str(HOSTILE / "alias-bomb.md")],
        capture_output=True, text=True, timeout=60, cwd=REPO,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "None [('front-matter-size', 9)]"
    assert time.monotonic() - started < 30


def test_folders_and_dead_links_named_md_are_not_pages(tmp_path: Path) -> None:
    (tmp_path / "x.md").mkdir()
    (tmp_path / "y.md").symlink_to(tmp_path / "nowhere.md")
    (tmp_path / "z.md").write_text("---\ntitle: Z\nkind: method\n---\n")
    result = load_pages(tmp_path)
    assert [p.slug for p in result.pages] == ["z"]
    assert result.errors == ()


def test_lint_given_a_file_says_so(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("---\ntitle: P\nkind: method\n---\n")
    (finding,) = load_pages(page).findings
    assert "is a file, not a folder" in finding.message
