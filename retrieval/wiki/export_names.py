"""What an imported page is called: its slug and title, from the export's headers, its
file name, or the first sentence that defines the page's subject.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from retrieval.wiki.export_format import Export, Level, Line

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-z0-9]+(?:-[a-z0-9]+)*)*")


def choose_slug(export: Export, name: str, meta: dict[str, Any]) -> str:
    """The `slug:` header; else the file name, unless no person chose it and there is a
    title; translations under their language's folder."""
    header = export.headers.get("slug")
    if header is not None and SLUG.fullmatch(header.text.strip()):
        slug = header.text.strip()
    else:
        if header is not None:
            export.keep_unsorted(
                Line(header.number, f"slug: {header.text}"),
                "`slug` header is not lowercase-kebab; file name used",
            )
        slug = slugify_name(name)
        if "title" in meta and _machine_made(slug):
            slug = slugify_name(meta["title"])
            export.note(0, "warning", "slug", f"slug `{slug}` made from the title; the file "
                        f"name `{name}` is an export id, not a name")  # fmt: skip
        else:
            level: Level = "info" if slug == name else "warning"
            export.note(0, level, "slug", f"slug `{slug}` taken from the file name `{name}`")
    lang = meta.get("lang", "en")
    if meta.get("translation_of") and lang != "en" and not slug.startswith(f"{lang}/"):
        slug = f"{lang}/{slug}"  # translations live under their language folder
        export.note(0, "info", "translation", f"translation written under `{lang}/`")
    return slug


def slugify_name(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.casefold()).strip("-") or "imported-page"


_ID_PART = re.compile(r"\d+|(?=[0-9a-f]*\d)[0-9a-f]{6,}")


def _machine_made(slug: str) -> bool:
    """`000-41084b5365e6500c`: every part of the name is a number or an id, so no person
    chose it (`latin1` or `strike-2019` they did)."""
    return all(_ID_PART.fullmatch(part) for part in slug.split("-"))


# "Distributed organizing is the practice of…": a definition names its subject first.
_DEFINITION = re.compile(
    r"(?P<subject>[^\W\d_][\w'’ -]{0,60}?)\s+(?:is|are|ist|sind|est|sont|es|son)\s+\S"
)
# Pronouns open a sentence without naming its subject ("It is…", "Das ist…", "Ce sont…").
_NOT_A_NAME = frozenset(
    """
    it this that these those there here they we you he she what which who
    es das dies er sie il elle ce cela ceci on esto eso ello
    """.split()  # noqa: SIM905 (a word list reads better as text)
)


def title_from_lead(export: Export, meta: dict[str, Any]) -> None:
    """The title the page's first sentence gives when it defines its subject, if any."""
    first = next(
        (line for block in export.blocks if block.heading in ("", "Body")
         for line in block.content()), None,
    )  # fmt: skip
    found = _DEFINITION.match(first.text.strip()) if first else None
    if first is None or found is None:
        return
    subject = found["subject"].strip()
    words = subject.split()
    if not subject[0].isupper() or len(words) > 6 or words[0].casefold() in _NOT_A_NAME:
        return
    meta["title"] = subject
    export.note(
        first.number, "warning", "title",
        f"no `title:` header; title {subject!r} taken from the first sentence — check it",
    )  # fmt: skip


def title_from_slug(slug: str) -> str:
    words = slug.rsplit("/", 1)[-1].replace("-", " ")
    return words[:1].upper() + words[1:]
