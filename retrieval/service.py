"""The one facade the bot and the CLI use: questions in, `Answer`s out; pages looked up.

`KnowledgeBase` is synchronous and CPU-bound (it encodes questions); the bot wraps it in
`retrieval.worker.AsyncKnowledgeBase` so that work never runs on the event loop.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from .build import content_digest
from .builds import IndexNotReady, current_build
from .config import Settings
from .embedder import Embedder, load_embedder
from .language import guess_language, words
from .models import Answer, Citation, IndexStatus, Page, PageRef
from .search import Hit, LoadedBuild, Mode, clean_question, in_language, rank
from .snippets import make_snippet, mark_terms, select_sentences

MAX_QUESTION_CHARS = 1000


@dataclass(frozen=True)
class Question:
    text: str
    lang: str = "en"  # "auto" guesses from the words used
    offset: int = 0
    limit: int | None = None
    threshold: float | None = None
    include_stubs: bool | None = None


class KnowledgeBase:
    def __init__(self, settings: Settings, embedder: Embedder, build: LoadedBuild) -> None:
        self.settings = settings
        self.embedder = embedder
        self._build = build

    @classmethod
    def open(cls, settings: Settings, embedder: Embedder | None = None) -> KnowledgeBase:
        """Open the current build; IndexNotReady says how to make one when there is none."""
        embedder = embedder or load_embedder(settings)
        found = current_build(settings.index_dir)
        if found is None:
            raise IndexNotReady(
                f"no index in {settings.index_dir}; build one with `orgbot index build`"
            )
        return cls(settings, embedder, LoadedBuild(found[0], found[1], embedder))

    @property
    def build(self) -> LoadedBuild:
        return self._build

    # -- questions ---------------------------------------------------------------------------

    def ask(self, question: str, **options: object) -> Answer:
        return self.ask_batch([Question(question, **options)])[0]  # type: ignore[arg-type]

    def ask_batch(self, questions: Sequence[Question]) -> list[Answer]:
        """Answer several questions with one call to the model."""
        started = time.perf_counter()
        build = self._build
        texts = [clean_question(q.text)[:MAX_QUESTION_CHARS] for q in questions]
        askable = [i for i, text in enumerate(texts) if words(text)]
        queries = self.embedder.embed([texts[i] for i in askable]) if askable else None
        answers = []
        for i, question in enumerate(questions):
            lang = guess_language(texts[i]) if question.lang == "auto" else question.lang
            if i not in askable:
                answers.append(_nothing_to_search(question.text, lang))
                continue
            assert queries is not None
            query = queries[askable.index(i)]
            answer = self._answer(build, question, texts[i], lang, query)
            answers.append(answer)
        elapsed = (time.perf_counter() - started) * 1000
        return [_with_latency(a, elapsed) for a in answers]

    def search(
        self, question: str, *, lang: str = "en", mode: Mode = "hybrid", k: int = 10
    ) -> list[Hit]:
        """Ranked hits in the asker's language (for evaluation and `--json` output)."""
        text = clean_question(question)[:MAX_QUESTION_CHARS]
        if not words(text):
            return []
        query = self.embedder.embed([text])[0]
        hits, _ = self._ranked(
            self._build, text, query, lang, mode, self.settings.answer.include_stubs
        )
        return hits[:k]

    def _ranked(
        self, build: LoadedBuild, text: str, query: np.ndarray, lang: str, mode: Mode,
        include_stubs: bool,
    ) -> tuple[list[Hit], bool]:  # fmt: skip
        ranked = rank(build, text, query, mode=mode, include_stubs=include_stubs)
        hits, seen, fell_back = [], set(), False
        for hit in ranked:
            moved, fallback = in_language(build, hit, lang, query)
            key = (moved.passage.slug, moved.passage.section)
            if key in seen:
                continue
            seen.add(key)
            hits.append(moved)
            fell_back = fell_back or fallback
        return hits, fell_back and lang != "en"

    def _answer(
        self, build: LoadedBuild, q: Question, text: str, lang: str, query: np.ndarray
    ) -> Answer:
        opts = self.settings.answer
        threshold = opts.threshold if q.threshold is None else q.threshold
        include_stubs = opts.include_stubs if q.include_stubs is None else q.include_stubs
        limit = q.limit or opts.max_citations
        # Stubs are ranked too: never quoted (unless configured), but they may be "see also".
        ranked, _ = self._ranked(build, text, query, lang, "hybrid", include_stubs=True)
        hits = [h for h in ranked if include_stubs or h.page.status != "stub"]
        notice = _length_notice(q.text)
        if not grounded(hits, threshold):
            near = _distinct_pages(h for h in ranked if h.dense >= opts.see_also_threshold)
            see_also = tuple(self._cite(h, text, query) for h in near[:3])
            return Answer(q.text, False, (), see_also, lang, None, notice=notice)
        floor = max(opts.see_also_threshold, threshold * 0.8)
        good = [h for h in hits if h.exact or h.dense >= floor]
        chosen = good[q.offset : q.offset + limit]
        citations = tuple(self._cite(h, text, query) for h in chosen)
        fell_back = lang != "en" and any(
            build.version_for(h.page.original_slug, lang)[1] for h in chosen
        )
        more = len(good) > q.offset + limit
        return Answer(
            q.text, bool(citations), citations, (), lang, "en" if fell_back else None,
            notice=notice, extra={"more": more},
        )  # fmt: skip

    def _cite(self, hit: Hit, question: str, query: np.ndarray) -> Citation:
        passage, page = hit.passage, hit.page
        chosen = select_sentences(
            passage.sentences, passage.sentence_vectors, query, question,
            self.settings.answer.snippet_sentences,
        )  # fmt: skip
        snippet = make_snippet(passage.sentences, chosen) or passage.text[:300]
        return Citation(
            slug=page.slug, title=page.title, section=passage.section, kind=page.kind,
            status=page.status, tier=page.tier, lang=page.lang, snippet=snippet,
            score=round(hit.dense, 4), url=self.url(page.slug, passage.anchor),
            marks=mark_terms(snippet, question),
        )  # fmt: skip

    def url(self, slug: str, anchor: str | None = None) -> str | None:
        base = self.settings.base_url
        if not base:
            return None
        link = base.rstrip("/") + "/" + slug
        return f"{link}#{anchor}" if anchor and anchor not in ("summary", "overview") else link

    # -- pages ---------------------------------------------------------------------------------

    def page(self, slug: str, lang: str = "en") -> tuple[Page, bool] | None:
        """A page in the asker's language when translated; True when it fell back."""
        build = self._build  # read once: a reload may swap it meanwhile
        page = build.pages.get(slug.strip().strip("/").casefold())
        if page is None:
            return None
        chosen, fell_back = build.version_for(page.original_slug, lang)
        return build.pages[chosen], fell_back

    def complete(
        self, text: str, kinds: Sequence[str] | None = None, limit: int = 25
    ) -> list[PageRef]:
        """Pages whose title, alias or slug fuzzily match `text`, best first."""
        build = self._build  # read once: a reload may swap it meanwhile
        originals = [
            p for p in build.pages.values()
            if p.translation_of is None and (not kinds or p.kind in kinds)
        ]  # fmt: skip
        if not text.strip():
            return [_ref(p) for p in sorted(originals, key=lambda p: p.title.casefold())[:limit]]
        names = {}
        for page in originals:
            for name in (page.title, *page.aliases, page.slug):
                names[(page.slug, name)] = name.casefold()
        matches = process.extract(
            text.casefold(), names, scorer=fuzz.WRatio, limit=limit * 4, score_cutoff=50
        )
        refs: dict[str, PageRef] = {}
        for _, score, (slug, _name) in matches:
            if slug not in refs:
                refs[slug] = _ref(build.pages[slug], score / 100)
        return list(refs.values())[:limit]

    def suggest(
        self, text: str, kinds: Sequence[str] | None = None, limit: int = 3
    ) -> list[PageRef]:
        return self.complete(text, kinds, limit) if text.strip() else []

    def related(self, slug: str) -> list[PageRef]:
        build = self._build  # read once: a reload may swap it meanwhile
        page = build.pages.get(slug)
        if page is None:
            return []
        source = build.pages.get(page.original_slug, page)
        return [_ref(build.pages[s]) for s in source.related if s in build.pages]

    # -- the build ---------------------------------------------------------------------------

    def status(self) -> IndexStatus:
        build = self._build
        _, hashes = content_digest(self.settings.content_dir)
        known = build.file_hashes
        changed = sorted(
            {s for s, h in hashes.items() if known.get(s) != h} | (set(known) - set(hashes))
        )
        size = sum(f.stat().st_size for f in build.folder.iterdir() if f.is_file())
        m = build.manifest
        return IndexStatus(
            m.build_id, m.created_at, m.model, m.dimension, m.pages, m.passages, size,
            str(build.folder), tuple(changed),
        )  # fmt: skip

    def reload(self) -> bool:
        """Switch to the newest build; the old one answers until the new one is open."""
        found = current_build(self.settings.index_dir)
        if found is None or found[1].build_id == self._build.manifest.build_id:
            return False
        old, self._build = self._build, LoadedBuild(found[0], found[1], self.embedder)
        old.close()
        return True

    def close(self) -> None:
        self._build.close()


def grounded(hits: Sequence[Hit], threshold: float) -> bool:
    """Whether the best page is close enough to quote (or named by the question).

    Judged on the page's closest passage: the section shown first may be the steps of a
    how-to page, whose wording is further from the question than its summary.
    """
    if not hits:
        return False
    top = hits[0].page.original_slug
    best = max(h.dense for h in hits if h.page.original_slug == top)
    return hits[0].exact or best >= threshold


def _distinct_pages(hits: object) -> list[Hit]:
    seen: set[str] = set()
    out = []
    for hit in hits:  # type: ignore[attr-defined]
        if hit.page.original_slug not in seen:
            seen.add(hit.page.original_slug)
            out.append(hit)
    return out


def _ref(page: Page, score: float = 0.0) -> PageRef:
    return PageRef(page.slug, page.title, page.kind, page.lang, page.status, score)


def _nothing_to_search(question: str, lang: str) -> Answer:
    notice = (
        "That question is empty."
        if not question.strip()
        else "That question has no words to search for; try asking in a sentence."
    )
    return Answer(question, False, lang=lang, notice=notice)


def _length_notice(question: str) -> str | None:
    if len(question) > MAX_QUESTION_CHARS:
        return f"Only the first {MAX_QUESTION_CHARS:,} characters of the question were used."
    return None


def _with_latency(answer: Answer, ms: float) -> Answer:
    from dataclasses import replace

    return replace(answer, latency_ms=round(ms, 2))
