"""`lint` finds each problem once, at the right line, with the right severity."""

from __future__ import annotations

import shutil
from pathlib import Path

from retrieval.wiki.lint import lint
from tests.paths import FIXTURES

GOOD = """\
---
title: {title}
kind: method
summary: A complete summary of the page.
sources:
  - {{id: handbook, grounding: secondary}}
{extra}
---

## How it works

Some real text.
"""


def write(folder: Path, slug: str, text: str) -> None:
    path = folder / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def page(title: str = "A page", extra: str = "", body: str = "") -> str:
    return GOOD.format(title=title, extra=extra).replace("\n\n\n", "\n\n") + body


def folder_with(tmp_path: Path, pages: dict[str, str]) -> Path:
    write(tmp_path, "sources/handbook", "---\ntitle: Handbook\nkind: source\nsummary: S.\n---\n")
    for slug, text in pages.items():
        write(tmp_path, slug, text)
    return tmp_path


def found(tmp_path: Path, pages: dict[str, str]) -> list[tuple[str, int, str, str]]:
    report = lint(folder_with(tmp_path, pages))
    return [(f.path, f.line, f.severity, f.rule) for f in report.findings]


def test_fixture_wiki_is_clean() -> None:
    report = lint(FIXTURES / "loader-wiki")
    assert report.findings == () and report.pages == 5


def test_a_clean_page_has_no_findings(tmp_path: Path) -> None:
    assert found(tmp_path, {"clean": page()}) == []


def test_loader_findings_are_included(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "bad-pages", tmp_path / "bad")
    report = lint(tmp_path / "bad")
    assert {f.rule for f in report.findings} >= {"empty-file", "binary-file", "encoding", "yaml"}
    assert report.pages == 11 and report.errors >= 8


def test_unknown_values_and_missing_fields(tmp_path: Path) -> None:
    pages = {
        "a": "---\ntitle: A\nkind: recipe\n---\n",
        "b": "---\nkind: method\n---\n",
        "c": "---\ntitle: C\nkind: method\nstatus: done\ntier: gold\nlang: xx\n---\n",
        "d": page(extra="sources:\n  - {id: handbook, grounding: rumour}"),
    }
    rules = {(path, rule) for path, _, _, rule in found(tmp_path, pages)}
    assert {("a.md", "invalid-kind"), ("b.md", "missing-field"), ("c.md", "invalid-status"),
            ("c.md", "invalid-tier"), ("c.md", "invalid-lang"),
            ("d.md", "invalid-sources")} <= rules  # fmt: skip


def test_duplicate_slugs_and_aliases(tmp_path: Path) -> None:
    pages = {
        "rally": page("Rally", "aliases: [March]"),
        "Rally": page("Rally again"),
        "march": page("March"),
        "demo": page("Demo", "aliases: [big rally, MARCH]"),
        "de/demo": page("Demo", "lang: de\ntranslation_of: demo\naliases: [march]"),
    }
    result = found(tmp_path, pages)
    assert ("Rally.md", 1, "error", "duplicate-slug") in result or (
        "rally.md", 1, "error", "duplicate-slug") in result  # fmt: skip
    alias_hits = [(p, line) for p, line, _, rule in result if rule == "duplicate-alias"]
    # `march` is a slug; both aliases that spell it are flagged, but not the German one.
    assert sorted(alias_hits) == [("demo.md", 7), ("rally.md", 7)]


def test_links_related_and_translations_that_point_nowhere(tmp_path: Path) -> None:
    pages = {
        "target": page("Target"),
        "case-studies/strike": page("Strike"),
        "linker": page(
            "Linker",
            "related: [target, missing-page, Target]",
            "See [[target#how-it-works]], [[target#no-such-part]], [[nowhere|x]], "
            "[[TARGET]] and [[strike]].\n",
        ),
        "de/target": page("Ziel", "lang: de\ntranslation_of: gone"),
        "fr/target": page("Cible", "lang: fr\ntranslation_of: de/target"),
    }
    result = found(tmp_path, pages)
    assert ("linker.md", 7, "error", "broken-related") in result
    assert ("linker.md", 7, "warning", "link-case") in result
    assert ("linker.md", 13, "warning", "broken-anchor") in result
    assert ("linker.md", 13, "warning", "link-case") in result  # [[TARGET]]
    assert ("linker.md", 13, "error", "broken-link") in result  # nowhere and strike
    assert ("de/target.md", 8, "error", "broken-translation") in result
    assert ("fr/target.md", 8, "error", "translation-chain") in result
    broken = [f for f in lint(tmp_path).findings if f.rule == "broken-link"]
    assert {f.message.split("`")[1] for f in broken} == {"nowhere", "strike"}
    assert any("case-studies/strike" in f.hint for f in broken)


def test_placeholders_and_cut_text_have_exact_lines(tmp_path: Path) -> None:
    body = "\nTODO: write this part.\n\nIt trails off...\n\nA [TRUNC] snippet.\n"
    text = page("Cut", "status: emerging") + body
    text = text.replace("A complete summary of the page.", "TBD")
    result = found(tmp_path, {"cut": text})
    assert ("cut.md", 4, "warning", "placeholder") in result  # the summary line
    assert ("cut.md", 14, "warning", "placeholder") in result
    assert ("cut.md", 16, "warning", "truncated") in result
    assert ("cut.md", 18, "warning", "truncated") in result


def test_placeholder_on_established_page_is_an_error(tmp_path: Path) -> None:
    extra = "status: established\nverified: {date: 2026-01-01, by: me}"
    result = found(tmp_path, {"p": page("P", extra, "\nStill TBD here.\n")})
    assert result == [("p.md", 15, "error", "placeholder")]


def test_headings_sections_summary_and_sources(tmp_path: Path) -> None:
    bare = "---\ntitle: Bare\nkind: method\nstatus: established\n---\n\n## A\n\n## A\n\ntext\n"
    result = found(tmp_path, {"bare": bare})
    assert ("bare.md", 7, "warning", "empty-section") in result
    assert ("bare.md", 9, "warning", "duplicate-heading") in result
    assert ("bare.md", 2, "warning", "missing-summary") in result
    assert ("bare.md", 4, "error", "established-unsourced") in result
    assert ("bare.md", 4, "error", "established-unverified") in result
    stub = "---\ntitle: Stub\nkind: method\nstatus: stub\nsummary: S.\n---\n"
    assert found(tmp_path / "other", {"stub": stub}) == [("stub.md", 2, "warning", "no-sources")]


def test_sources_translation_folder_and_slug_shape(tmp_path: Path) -> None:
    pages = {
        "one": page("One", "lang: en"),
        "fr/one": page("Un", "lang: de\ntranslation_of: one"),
        "Bad_Name": page("Bad", "sources:\n  - {id: unknown-book, grounding: primary}"),
    }
    pages["Bad_Name"] = pages["Bad_Name"].replace(
        "sources:\n  - {id: handbook, grounding: secondary}\n", ""
    )
    result = found(tmp_path, pages)
    assert ("fr/one.md", 7, "error", "translation-lang") in result
    assert ("Bad_Name.md", 1, "warning", "slug-format") in result
    assert ("Bad_Name.md", 6, "warning", "unknown-source") in result


def test_report_counts_and_json_shape(tmp_path: Path) -> None:
    report = lint(folder_with(tmp_path, {"x": "---\ntitle: X\nkind: method\n---\n"}))
    data = report.to_dict()
    assert data["errors"] == report.errors == 0
    assert data["warnings"] == report.warnings == 2  # no summary, no sources
    assert data["pages"] == 2
    first = data["findings"][0]  # type: ignore[index]
    assert set(first) == {"severity", "path", "line", "column", "rule", "message", "hint"}


def test_findings_are_sorted_by_path_then_line(tmp_path: Path) -> None:
    pages = {"b": "---\ntitle: B\nkind: method\n---\nTODO\n", "a": "---\nkind: x\n---\n"}
    report = lint(folder_with(tmp_path, pages))
    keys = [(f.path, f.line) for f in report.findings]
    assert keys == sorted(keys)


def test_page_naming_itself_as_original_gets_a_useful_hint(tmp_path) -> None:
    (tmp_path / "a.md").write_text("---\ntitle: A\nkind: method\nsummary: S.\n---\n")
    (tmp_path / "de").mkdir()
    (tmp_path / "de" / "a.md").write_text(
        "---\ntitle: A\nkind: method\nlang: de\ntranslation_of: de/a\nsummary: S.\n---\n"
    )
    report = lint(tmp_path)
    (finding,) = [f for f in report.findings if f.rule == "translation-chain"]
    assert "names itself" in finding.message
    assert "translation_of: a`" in finding.hint


def test_a_broken_link_suggests_the_page_it_most_likely_means(tmp_path: Path) -> None:
    pages = {
        "one-to-ones": page("One-to-ones", "aliases: [relational meetings]"),
        "case-studies/rent-strike": page("Rent strike"),
        "linker": page(
            "Linker", "",
            "[[one-to-one]], [[one_to_ones]], [[relational meetings]], [[rent-strikes]] and "
            "[[quantum-chromodynamics]].\n",
        ),
    }  # fmt: skip
    broken = {
        f.message.split("`")[1]: f.hint
        for f in lint(folder_with(tmp_path, pages)).findings
        if f.rule == "broken-link"
    }
    assert broken == {
        "one-to-one": "did you mean `one-to-ones`?",
        "one_to_ones": "did you mean `one-to-ones`?",
        "relational meetings": "did you mean `one-to-ones`?",
        "rent-strikes": "did you mean `case-studies/rent-strike`?",
        "quantum-chromodynamics": "create the page or fix the slug",
    }
