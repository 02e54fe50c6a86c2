"""Exports become loadable pages, and every line of an export is accounted for."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrieval.models import Page
from retrieval.wiki.export_format import KNOWN_HEADINGS
from retrieval.wiki.importer import Converted, convert_export, import_exports
from retrieval.wiki.loader import parse_page
from tests.paths import CONTENT, FIXTURES, REPO

EXPORTS = FIXTURES / "exports"
SEEDS = REPO.parent / "shared" / "seeds"


def convert(name: str) -> tuple[Converted, Page]:
    text = (EXPORTS / name).read_text(encoding="utf-8")
    converted = convert_export(text, Path(name).stem)
    page, findings = parse_page(converted.markdown.encode(), f"{converted.slug}.md")
    assert page is not None, findings
    assert [f for f in findings if f.severity == "error"] == []
    assert converted.unplaced == ()
    return converted, page


def actions(converted: Converted) -> list[tuple[int, str]]:
    return [(d.line, d.action) for d in converted.decisions]


def test_normal_export_fills_front_matter_and_sections() -> None:
    converted, page = convert("house-visits.txt")
    assert converted.slug == "house-visits" and page.title == "House visits"
    assert page.kind == "method" and page.lang == "en"
    assert page.summary.startswith("Organisers knock on doors in pairs")
    assert [(s.id, s.grounding) for s in page.sources] == [("doorstep-guide", "primary")]
    assert page.verified is not None and page.verified.by == "test-editors"
    assert str(page.verified.date) == "2026-03-02"
    # Related first, then worked examples; a related source id becomes its source page.
    assert page.related == ("one-to-ones", "sources/doorstep-guide", "case-studies/tower-lifts")
    assert [s.heading for s in page.sections] == [
        "Body", "Examples", "Use it for", "Worked examples", "Open questions",
    ]  # fmt: skip
    assert page.section("Worked examples").text == "- [[case-studies/tower-lifts]]"  # type: ignore[union-attr]


def test_examples_keep_years_and_regions_and_flag_cuts() -> None:
    converted, page = convert("house-visits.txt")
    examples = page.section("Examples")
    assert examples is not None
    assert "- **Dockworkers' families organise a food bank** (1971, Europe): Wives" in examples.text
    assert "(2014-2015, Europe): Residents visited every flat before the …" in examples.text
    assert "[TRUNC]" not in converted.markdown
    assert "\n\nSee all 4 case studies using this method: [[examples-by-tactic]]" in examples.text
    assert (11, "truncated") in actions(converted)
    assert (12, "see-all-link") in actions(converted)


def test_body_lines_stay_separate_paragraphs() -> None:
    _, page = convert("house-visits.txt")
    body = page.section("Body")
    assert body is not None and "kitchen.\n\nVolunteers" in body.text


def test_real_summary_after_placeholder_wins() -> None:
    converted, page = convert("summary-after-placeholder.txt")
    assert page.summary.startswith("A phone bank is a session")
    assert (3, "placeholder") in actions(converted)
    assert (7, "merged-heading") in actions(converted)  # Examples twice in a row
    assert page.verified is not None  # no trailing full stop is fine


def test_only_placeholders_leave_summary_empty_and_say_so() -> None:
    converted, page = convert("only-placeholders.txt")
    assert page.summary == ""
    assert {(3, "placeholder"), (7, "placeholder"), (0, "no-summary")} <= set(actions(converted))
    assert "TBD" not in converted.markdown


def test_odd_lines_are_kept_and_reported() -> None:
    converted, page = convert("odd-lines.txt")
    assert page.kind == "method"  # `tactic` is not a kind: kept under Unsorted, default used
    unsorted = page.section("Unsorted")
    assert unsorted is not None
    for kept in ("kind: tactic", "colour: green", "Verified 2026-05-06 by someone-else."):
        assert kept in unsorted.text
    assert page.lead == "Some text that arrives before any heading."
    assert "A line that is not shaped like an example at all" in converted.markdown
    assert "- Candle safety notes" in converted.markdown
    assert "- a source line with no dashes at all" in converted.markdown
    assert page.sources[0].grounding == "unverified"
    assert {(2, "unknown-line"), (3, "unknown-line"), (10, "unknown-line"), (13, "unknown-line"),
            (16, "grounding"), (11, "years-mismatch"), (19, "unknown-line")} <= set(
        actions(converted)
    )  # fmt: skip


def test_missing_verified_and_slug_header() -> None:
    converted, page = convert("missing-verified.txt")
    assert converted.slug == "leafleting" and page.verified is None
    assert (0, "no-verified") in actions(converted)


def test_translation_goes_under_its_language() -> None:
    converted, page = convert("translation.txt")
    assert converted.slug == "de/translation"
    assert page.lang == "de" and page.translation_of == "house-visits"


def test_crlf_export() -> None:
    _, page = convert("crlf.txt")
    assert page.summary == "A summary written on Windows, with CRLF line endings."


def test_front_matter_is_one_field_per_line_even_with_only_scalar_fields() -> None:
    # YAML would write such a mapping as one `{title: ..., kind: ...}` line, which a
    # maintainer cannot edit a field at a time.
    converted = convert_export("title: Phone trees\nkind: method\nBody\nCalls.\n", "p")
    assert converted.markdown.startswith("---\ntitle: Phone trees\nkind: method\nsummary: ''\n")


def test_import_writes_refuses_overwrite_and_reports_bad_files(tmp_path: Path) -> None:
    names = ["house-visits.txt", "latin1.txt", "empty.txt", "binary.txt"]
    reports = import_exports([EXPORTS / n for n in names], tmp_path)
    written = {Path(r.source).name: r.written for r in reports}
    assert written == {
        "house-visits.txt": True, "latin1.txt": True, "empty.txt": False, "binary.txt": False,
    }  # fmt: skip
    assert [d.action for d in reports[1].decisions][:1] == ["encoding"]
    assert "Réunions au café" in (tmp_path / "latin1.md").read_text(encoding="utf-8")
    assert reports[2].failed and reports[3].failed
    before = (tmp_path / "house-visits.md").read_text()
    (tmp_path / "house-visits.md").write_text("edited by hand")
    again = import_exports([EXPORTS / "house-visits.txt"], tmp_path)
    assert again[0].failed and not again[0].written
    assert (tmp_path / "house-visits.md").read_text() == "edited by hand"
    forced = import_exports([EXPORTS / "house-visits.txt"], tmp_path, force=True)
    assert forced[0].written and (tmp_path / "house-visits.md").read_text() == before


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds is not next to this clone")
def test_real_seed_imports_and_loads() -> None:
    seed = SEEDS / "000_41084b5365e6500c.txt"
    converted = convert_export(seed.read_text(encoding="utf-8"), seed.stem)
    page, findings = parse_page(converted.markdown.encode(), f"{converted.slug}.md")
    assert page is not None and findings == [] and converted.unplaced == ()
    assert page.summary == "" and len(page.sources) == 4
    assert "sources/moblab" in page.related and "case-studies/gezi-park" in page.related


def test_without_a_title_header_the_lead_names_the_page_and_the_report_says_so() -> None:
    text = "lang: en\nBody\nRent strikes are tenants withholding rent together.\nMore.\n"
    converted, page = convert_text(text, "000_41084b5365e6500c")
    assert page.title == "Rent strikes" and converted.slug == "rent-strikes"
    decisions = {d.action: d for d in converted.decisions}
    assert decisions["title"].line == 3 and "first sentence" in decisions["title"].message
    assert "from the title" in decisions["slug"].message
    # A file name a person chose keeps naming the file; only the title comes from the lead.
    converted, page = convert_text(text, "rent-strikes-2019")
    assert page.title == "Rent strikes" and converted.slug == "rent-strikes-2019"


def test_a_lead_that_names_nothing_leaves_the_title_to_the_slug() -> None:
    converted, page = convert_text("Body\nIt is a way to act together.\n", "sit-ins")
    assert page.title == "Sit ins" and converted.slug == "sit-ins"


def test_worked_examples_and_related_link_the_existing_page_of_that_name(tmp_path: Path) -> None:
    (tmp_path / "case-studies").mkdir()
    (tmp_path / "case-studies" / "sindicato-inquilinas.md").write_text("---\n")
    export = tmp_path / "export.txt"
    export.write_text(
        "title: Rent strikes\nBody\nText.\nWorked examples\n- sindicato-inquilinas\n"
        "- gone-example\nRelated\n- sindicato-inquilinas\n"
    )
    (report,) = import_exports([export], tmp_path)
    page, _ = parse_page(Path(report.output or "").read_bytes(), "rent-strikes.md")
    assert page is not None
    assert page.related == ("case-studies/sindicato-inquilinas", "gone-example")
    assert "[[case-studies/sindicato-inquilinas]]" in page.section("Worked examples").text  # type: ignore[union-attr]
    mapped = [d for d in report.decisions if d.action == "existing-page"]
    assert sorted(d.line for d in mapped) == [5, 8]
    assert "`case-studies/sindicato-inquilinas`" in mapped[0].message


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds is not next to this clone")
def test_the_real_seed_is_named_from_its_lead_and_links_the_wiki_s_case_study(
    tmp_path: Path,
) -> None:
    shutil.copytree(CONTENT, tmp_path / "content")
    (report,) = import_exports([SEEDS / "000_41084b5365e6500c.txt"], tmp_path / "content",
                               force=True)  # fmt: skip
    assert report.output == str(tmp_path / "content" / "distributed-organizing.md")
    page, _ = parse_page(Path(report.output).read_bytes(), "distributed-organizing.md")
    assert page is not None and page.title == "Distributed organizing"
    assert "case-studies/sindicato-inquilinas" in page.related
    assert "sindicato-inquilinas" not in page.related


def convert_text(text: str, name: str) -> tuple[Converted, Page]:
    converted = convert_export(text, name)
    page, findings = parse_page(converted.markdown.encode(), f"{converted.slug}.md")
    assert page is not None, findings
    return converted, page


_lines = st.one_of(
    st.sampled_from([*KNOWN_HEADINGS.values(), "TBD — later", "Verified 2026-01-01 by x."]),
    st.sampled_from(["kind: guide", "lang: xx", "title: T", "slug: ../up", "summary: S"]),
    st.from_regex(
        r"- [a-z-]{1,12}( — grounding: [a-z]{3,9}( — RAW \(1 chars\))?)?", fullmatch=True
    ),
    st.from_regex(
        r"- [A-Za-z ,]{1,20}, 19\d\d — [a-z \[\]TRUNC]{0,20} 19\d\d · [A-Za-z]{1,8}", fullmatch=True
    ),
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_lines, max_size=25), st.text(max_size=12))
def test_any_export_converts_to_a_loadable_page(lines: list[str], name: str) -> None:
    text = "\n".join(lines)
    converted = convert_export(text, name)
    assert converted.unplaced == ()
    page, findings = parse_page(converted.markdown.encode(), f"{converted.slug}.md")
    assert page is not None, findings
    assert [f for f in findings if f.severity == "error"] == []
