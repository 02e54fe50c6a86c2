"""The SQLite half of a build: pages, passages, their vectors by encoder, and an FTS5 table.

faiss holds only vectors whose row number is the passage id; this file maps ids back to text,
and keeps each encoder's passage and sentence vectors so the next build can reuse them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from retrieval.models import Page, Section, SourceRef, Verified, Years

SCHEMA_VERSION = 2

SCHEMA = """
CREATE TABLE pages (
    slug TEXT PRIMARY KEY, lang TEXT NOT NULL, original TEXT NOT NULL, kind TEXT NOT NULL,
    status TEXT NOT NULL, title TEXT NOT NULL, file_hash TEXT NOT NULL, data TEXT NOT NULL
);
CREATE TABLE passages (
    id INTEGER PRIMARY KEY, slug TEXT NOT NULL, section TEXT NOT NULL, anchor TEXT NOT NULL,
    kind TEXT NOT NULL, position INTEGER NOT NULL, text TEXT NOT NULL, sentences TEXT NOT NULL
);
CREATE INDEX passages_slug ON passages(slug);
CREATE TABLE vectors (
    role TEXT NOT NULL, passage_id INTEGER NOT NULL REFERENCES passages(id),
    text_key TEXT NOT NULL, vector BLOB NOT NULL, sentence_vectors BLOB NOT NULL,
    PRIMARY KEY (role, passage_id)
);
CREATE VIRTUAL TABLE passages_fts USING fts5(
    title, section, text, tokenize = 'porter unicode61 remove_diacritics 2'
);
"""


@dataclasses.dataclass(frozen=True, eq=False)
class Vectors:
    """One encoder's vectors of a passage: the passage's, and one row per sentence."""

    text_key: str  # what was embedded, with which encoder: equal keys, reusable vectors
    vector: np.ndarray
    sentence_vectors: np.ndarray


@dataclasses.dataclass(frozen=True, eq=False)
class StoredPassage:
    id: int
    slug: str
    section: str
    anchor: str
    kind: str  # what the section is for: "how-to", "risks"… (retrieval.index.kinds)
    position: int
    text: str
    sentences: tuple[str, ...]
    vectors: dict[str, Vectors]  # by encoder role


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    uri = f"file:{path}?mode=ro" if readonly else f"file:{path}"
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    return conn


def create(path: Path) -> sqlite3.Connection:
    conn = connect(path)
    conn.executescript(SCHEMA)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    return conn


def write_page(conn: sqlite3.Connection, page: Page, file_hash: str) -> None:
    conn.execute(
        "INSERT INTO pages VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            page.slug, page.lang, page.original_slug, page.kind, page.status, page.title,
            file_hash, json.dumps(page_to_dict(page), ensure_ascii=False),
        ),
    )  # fmt: skip


def write_passages(
    conn: sqlite3.Connection, rows: Iterable[StoredPassage], titles: dict[str, str]
) -> None:
    for p in rows:
        conn.execute(
            "INSERT INTO passages VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                p.id, p.slug, p.section, p.anchor, p.kind, p.position, p.text,
                json.dumps(p.sentences, ensure_ascii=False),
            ),
        )  # fmt: skip
        for role, v in p.vectors.items():
            conn.execute(
                "INSERT INTO vectors VALUES (?, ?, ?, ?, ?)",
                (
                    role, p.id, v.text_key, v.vector.astype(np.float32).tobytes(),
                    v.sentence_vectors.astype(np.float16).tobytes(),
                ),
            )  # fmt: skip
        conn.execute(
            "INSERT INTO passages_fts(rowid, title, section, text) VALUES (?, ?, ?, ?)",
            (p.id, titles.get(p.slug, ""), p.section, p.text),
        )


def read_passages(conn: sqlite3.Connection, dimensions: dict[str, int]) -> list[StoredPassage]:
    """Every passage with the vectors of the given roles (role -> vector dimension)."""
    rows = conn.execute("SELECT * FROM passages ORDER BY id").fetchall()
    passages = {row["id"]: _passage(row) for row in rows}
    for role, dimension in dimensions.items():
        found = conn.execute(
            "SELECT passage_id, text_key, vector, sentence_vectors FROM vectors WHERE role = ?",
            (role,),
        )
        for pid, key, vector, sentence_blob in found:
            passage = passages[pid]
            count = len(passage.sentences)
            sentence_vectors = np.frombuffer(sentence_blob, dtype=np.float16)
            passage.vectors[role] = Vectors(
                key,
                np.frombuffer(vector, dtype=np.float32),
                sentence_vectors.reshape(count, dimension)
                if count else np.zeros((0, dimension), np.float16),
            )  # fmt: skip
    for passage in passages.values():
        for role in dimensions:
            if role not in passage.vectors:
                raise ValueError(f"passage {passage.id} has no {role} vectors")
    return list(passages.values())


def _passage(row: sqlite3.Row) -> StoredPassage:
    return StoredPassage(
        id=row["id"], slug=row["slug"], section=row["section"], anchor=row["anchor"],
        kind=row["kind"], position=row["position"], text=row["text"],
        sentences=tuple(json.loads(row["sentences"])), vectors={},
    )  # fmt: skip


def read_pages(conn: sqlite3.Connection) -> dict[str, tuple[Page, str]]:
    """Every page of the build with the hash of the file it came from."""
    rows = conn.execute("SELECT data, file_hash FROM pages").fetchall()
    pages = {}
    for row in rows:
        page = page_from_dict(json.loads(row["data"]))
        pages[page.slug] = (page, row["file_hash"])
    return pages


def page_to_dict(page: Page) -> dict[str, Any]:
    data = dataclasses.asdict(page)
    if page.verified:
        data["verified"] = {"date": page.verified.date.isoformat(), "by": page.verified.by}
    return data


def page_from_dict(data: dict[str, Any]) -> Page:
    data = dict(data)
    data["sections"] = tuple(Section(**s) for s in data["sections"])
    data["sources"] = tuple(SourceRef(**s) for s in data["sources"])
    data["links"] = ()  # links are for the linter; an answer never needs them
    if data.get("verified"):
        v = data["verified"]
        data["verified"] = Verified(dt.date.fromisoformat(v["date"]), v["by"])
    if data.get("years"):
        data["years"] = Years(**data["years"])
    data["field_lines"] = tuple(tuple(pair) for pair in data["field_lines"])
    for key in ("aliases", "pillar", "tags", "related", "translations"):
        data[key] = tuple(data[key])
    return Page(**data)
