"""The one synchronous facade the front ends use: questions in, `Answer`s out; pages looked up.

`KnowledgeBase` is CPU-bound (it encodes questions); the bot reaches it only through
`retrieval.worker.AsyncKnowledgeBase`, so that work never runs on the event loop.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Sequence
from dataclasses import replace

from threadpoolctl import threadpool_limits

from retrieval.embedding import ENGLISH, MULTILINGUAL, Embedder, Encoders, load_encoders
from retrieval.index.artifact import install, pack, unpack
from retrieval.index.builder import build_lock, content_digest, prune
from retrieval.index.health import build_problems, damaged
from retrieval.index.manifest import IndexNotReady, Manifest, current_build, write_pointer
from retrieval.index.reader import LoadedBuild
from retrieval.models import Answer, IndexStatus, Page, PageLookup, PageRef, Question, Reload
from retrieval.search.answers import (
    Answerer,
    by_page,
    first_stub_only,
    nothing_to_search,
)
from retrieval.search.grounding import GroundingModel, evidence
from retrieval.search.learned_intent import LearnedIntent, told_first
from retrieval.search.names import PageNames
from retrieval.search.precedents import PRECEDENTS, Precedents
from retrieval.search.ranking import Hit, Mode, Query, clean_question, rank_in_language
from retrieval.search.scope import ScopeModel
from retrieval.search.sections import IntentModel
from retrieval.settings import RetrievalSettings
from retrieval.wiki.language import answer_language, words, written_in
from retrieval.wiki.loader import WIKILINK, slugify

log = logging.getLogger(__name__)
# Where each kind's pages live, so a lookup of `gezi-park` as a case finds
# `case-studies/gezi-park`.
KIND_FOLDERS = {"case-study": "case-studies/", "source": "sources/", "thinker": "thinkers/"}
EXACT_NAME = 0.95  # fuzzy score above which a typed name is taken as that page
# Names are matched on their first 100 characters (Discord's limit for an option value and
# for an autocomplete's typed text): fuzzy matching costs grow with the text's length, and a
# 6,000-character name cost the worker seconds.
MAX_NAME_CHARS = 100


class KnowledgeBase:
    def __init__(
        self, settings: RetrievalSettings, encoders: Encoders | Embedder, build: LoadedBuild
    ) -> None:
        # Searching multiplies a few hundred vectors by one question: a second BLAS thread
        # gains nothing there, and the threads OpenBLAS leaves spinning after each product
        # took the core the English encoder needs next (warm ask p50 13.6 -> 10.6 ms). The
        # multilingual encoder sets its own limit for a build's batches.
        threadpool_limits(1, user_api="blas")
        self.settings = settings
        self.encoders = Encoders.of(encoders)
        names = {role: encoder.name for role, encoder in self.encoders.roles()}
        intent_encoder = self.encoders.multilingual or self.encoders.english
        self.precedents = Precedents.load(intent_encoder)
        self.answerer = Answerer(settings.answer, settings.base_url, self._grounding(names))
        self._intent_role = MULTILINGUAL if self.encoders.multilingual else ENGLISH
        self._intents = IntentModel(intent_encoder, LearnedIntent.load(intent_encoder))
        self._scope = ScopeModel(self._intents)
        self._build = build
        self._names = (build, PageNames(build.pages.values()))

    def _grounding(self, encoders: dict[str, str]) -> GroundingModel | None:
        """The calibrated grounding model when it was fitted for these encoders and its
        precedents are readable; else None, and the cosine threshold decides."""
        calibrated = GroundingModel.load()
        if calibrated is None or not calibrated.suits(encoders):
            return None  # other encoders: documented, so not worth a warning
        if self.precedents is None:
            log.warning(
                "%s is missing, damaged or made with another encoder; answering with the "
                "cosine threshold instead of the calibrated confidence. Reinstall orgbot, or "
                "run `python -m bench.calibrate` to make it again",
                PRECEDENTS,
            )
            return None
        return calibrated

    @classmethod
    def open(
        cls, settings: RetrievalSettings, encoders: Encoders | Embedder | None = None
    ) -> KnowledgeBase:
        """Open the current build; IndexNotReady says how to make one when there is none."""
        chosen = Encoders.of(encoders) if encoders is not None else load_encoders(settings)
        found = current_build(settings.index_dir)
        if found is None:
            raise IndexNotReady(
                f"no index in {settings.index_dir}; build one with `orgbot index build`"
            )
        return cls(settings, chosen, LoadedBuild(found[0], found[1], chosen))

    @property
    def build(self) -> LoadedBuild:
        return self._build

    @property
    def intents(self) -> IntentModel:
        """What each question asks for; its encoder also reads scope and precedents."""
        return self._intents

    # -- questions ---------------------------------------------------------------------------

    def ask(self, question: Question) -> Answer:
        return self.ask_batch([question])[0]

    def ask_batch(self, questions: Sequence[Question]) -> list[Answer]:
        """Answer several questions with one call to each encoder."""
        started = time.perf_counter()
        build = self._build  # read once: a reload may swap it meanwhile
        texts = [clean_question(q.text) for q in questions]
        askable = [i for i, text in enumerate(texts) if words(text)]
        queries = self._queries([texts[i] for i in askable], [questions[i] for i in askable])
        answers = []
        for i, question in enumerate(questions):
            if i not in askable:
                lang = question.locale or "en" if question.lang == "auto" else question.lang
                answers.append(nothing_to_search(question.text, lang))
                continue
            query = queries[askable.index(i)]
            lang = answer_language(question, query.lang)
            answers.append(self.answerer.answer(build, question, query, lang))
        elapsed = round((time.perf_counter() - started) * 1000, 2)
        return [replace(a, latency_ms=elapsed) for a in answers]

    def _queries(self, texts: list[str], questions: Sequence[Question]) -> list[Query]:
        """Each text encoded by every encoder (one batch call each), with its language. The
        encoder that reads intent also encodes the last sentence of each question that has
        several (`learned_intent.the_ask`), in the same call."""
        if not texts:
            return []
        asks = told_first(texts)
        intent_role = self._intent_role
        wanted = {
            role: texts + list(asks.values()) if role == intent_role else texts
            for role, _ in self.encoders.roles()
        }
        encoded = self.encoders.embed_each(wanted)
        ask_vectors = dict(zip(asks, encoded[intent_role][len(texts) :], strict=True))
        encoded = {role: vectors[: len(texts)] for role, vectors in encoded.items()}
        reads_intent = encoded[intent_role]
        precedents = self.precedents
        read = [precedents.read(v) if precedents else (0.0, {}) for v in reads_intent]
        return [
            Query(
                text,
                written_in(text, question),
                {r: v[n] for r, v in encoded.items()},
                self._intents.scores(reads_intent[n], text, ask_vectors.get(n)),
                self._scope.off_scope(reads_intent[n]),
                like_unanswerable=read[n][0],
                page_votes=read[n][1],
                ask_vector=ask_vectors.get(n) if intent_role == MULTILINGUAL else None,
            )
            for n, (text, question) in enumerate(zip(texts, questions, strict=True))
        ]

    def search(
        self, question: str, *, lang: str = "en", mode: Mode = "hybrid", k: int = 10
    ) -> list[Hit]:
        """Ranked hits in the asker's language (for evaluation and `--json` output)."""
        text = clean_question(question)
        if not words(text):
            return []
        (query,) = self._queries([text], [Question(text, lang=lang)])
        hits, _ = rank_in_language(self._build, query, lang, mode=mode, include_stubs=True)
        # As in an answer: a stub counts when it matches best (the answer names it).
        return (hits if self.settings.answer.include_stubs else first_stub_only(hits))[:k]

    def signals(self, question: Question) -> dict[str, float] | None:
        """The grounding signals of the page an answer to `question` would be about (the
        stub that matches best, else the best page), for calibrating the grounding model."""
        text = clean_question(question.text)
        if not words(text):
            return None
        (query,) = self._queries([text], [question])
        lang = answer_language(question, query.lang)
        ranked, _ = rank_in_language(self._build, query, lang, include_stubs=True)
        hits = first_stub_only(ranked)
        if not hits:
            return None
        if hits[0].page.status != "stub":
            hits = [h for h in hits if h.page.status != "stub"]
        pages = by_page(hits)
        return evidence(self._build, query, pages[hits[0].page.original_slug])

    def url(self, slug: str, anchor: str | None = None) -> str | None:
        return self.answerer.url(slug, anchor)

    # -- pages ---------------------------------------------------------------------------------

    def page(self, slug: str, lang: str = "en") -> tuple[Page, bool] | None:
        """A page in the asker's language when translated; True when it fell back."""
        build = self._build  # read once: a reload may swap it meanwhile
        page = build.pages.get(slug.strip().strip("/").casefold())
        if page is None:
            return None
        chosen, fell_back = build.version_for(page.original_slug, lang)
        return build.pages[chosen], fell_back

    def lookup(self, name: str, kinds: Sequence[str] = (), lang: str = "en") -> PageLookup:
        """The page `name` means (a slug, a slug in its kind's folder, or an exact title or
        alias) with its related pages; else up to three pages whose names come close."""
        name = _bounded(name)
        candidates = [name, slugify(name)]
        candidates += [KIND_FOLDERS[kind] + slugify(name) for kind in kinds if kind in KIND_FOLDERS]
        found = next(filter(None, (self.page(c, lang) for c in candidates if c)), None)
        close = self.suggest(name, kinds) if found is None else []
        if close and close[0].score >= EXACT_NAME:
            found = self.page(close[0].slug, lang)
        if found is None:
            return PageLookup(None, suggestions=tuple(close))
        page, fell_back = found
        return PageLookup(
            page, fell_back, tuple(self.related(page.slug)),
            link_titles=self.link_titles(page, lang),
        )  # fmt: skip

    def link_titles(self, page: Page, lang: str = "en") -> tuple[tuple[str, str], ...]:
        """(slug, title) of the pages `page` links to, each in `lang` when translated."""
        build = self._build  # read once: a reload may swap it meanwhile
        texts = [page.summary, page.lead, page.outcome or "", *(s.text for s in page.sections)]
        titles: dict[str, str] = {}
        for match in (m for text in texts for m in WIKILINK.finditer(text)):
            target = match["target"].strip()
            linked = build.pages.get(target)
            if linked is not None and target not in titles:
                shown, _ = build.version_for(linked.original_slug, lang)
                titles[target] = build.pages[shown].title
        return tuple(titles.items())

    def complete(self, text: str, kinds: Sequence[str] = (), limit: int = 25) -> list[PageRef]:
        """Pages whose title, alias or slug fuzzily match `text`, best first."""
        build = self._build  # read once: a reload may swap it meanwhile
        text = _bounded(text)
        if not text:
            originals = [
                p for p in build.pages.values()
                if p.translation_of is None and (not kinds or p.kind in kinds)
            ]  # fmt: skip
            return [_ref(p) for p in sorted(originals, key=lambda p: p.title.casefold())[:limit]]
        matches = self._names_of(build).best(text, kinds, limit)
        return [_ref(build.pages[slug], score) for slug, score in matches]

    def suggest(self, text: str, kinds: Sequence[str] = (), limit: int = 3) -> list[PageRef]:
        return self.complete(text, kinds, limit) if text.strip() else []

    def _names_of(self, build: LoadedBuild) -> PageNames:
        """The names of `build`'s pages, made once per build (5,000 pages' names take 0.2 s)."""
        known, names = self._names
        if known is not build:
            names = PageNames(build.pages.values())
            self._names = (build, names)
        return names

    def related(self, slug: str) -> list[PageRef]:
        build = self._build  # read once: a reload may swap it meanwhile
        page = build.pages.get(slug)
        if page is None:
            return []
        source = build.pages.get(page.original_slug, page)
        return [_ref(build.pages[s]) for s in source.related if s in build.pages]

    # -- the build ---------------------------------------------------------------------------

    def status(self) -> IndexStatus:
        """The build in use, the pages changed since, and whatever is wrong with either."""
        build = self._build
        m = build.manifest
        problems = []
        if not build.folder.is_dir():  # pruned while this process still answers from it
            problems.append(
                f"build {m.build_id} is no longer on disk (newer builds replaced it); reload "
                "to answer from the current build (`/kb reload`, or restart)"
            )
        elif damage := build_problems(build.folder, m):
            problems.append(damaged(m.build_id, damage))
        content = self.settings.content_dir
        if content.is_dir():
            _, hashes = content_digest(content)
            known = build.file_hashes
            changed = sorted(
                {s for s, h in hashes.items() if known.get(s) != h} | (set(known) - set(hashes))
            )
        else:
            changed = []
            problems.append(
                f"the content folder {content} does not exist; put it back or fix `content_dir`"
            )
        try:
            size = sum(f.stat().st_size for f in build.folder.iterdir() if f.is_file())
        except OSError:
            size = 0
        models = tuple((facts.model, facts.dimension) for facts in m.encoders.values())
        return IndexStatus(
            m.build_id, m.created_at, models, m.pages, m.passages, size, str(build.folder),
            tuple(changed), tuple(problems), m.version,
        )  # fmt: skip

    def reload(self) -> Reload:
        """Switch to the newest build; the old one answers until the new one is open."""
        found = current_build(self.settings.index_dir)
        if found is None or found[1].build_id == self._build.manifest.build_id:
            return Reload(False, self._build.manifest.build_id)
        old, self._build = self._build, LoadedBuild(found[0], found[1], self.encoders)
        self._names = (self._build, PageNames(self._build.pages.values()))
        old.close()
        return Reload(True, self._build.manifest.build_id)

    def artifact(self) -> tuple[bytes, str, Manifest]:
        """The build in use as one artifact for other hosts: (bytes, sha256, manifest)."""
        return pack(self._build.folder)

    def install(self, data: bytes, sha256: str) -> Reload:
        """Make a published build current (see `install_build`) and switch to it."""
        install_build(self.settings, self.encoders, data, sha256)
        return self.reload()

    def close(self) -> None:
        self._build.close()


def build_artifact(settings: RetrievalSettings) -> tuple[bytes, str, Manifest]:
    """The current build as one artifact for other hosts: (bytes, sha256, manifest)."""
    found = current_build(settings.index_dir)
    if found is None:
        raise IndexNotReady(
            f"no index in {settings.index_dir}; build one with `orgbot index build`"
        )
    return pack(found[0])


def install_build(
    settings: RetrievalSettings, encoders: Encoders | Embedder, data: bytes, sha256: str
) -> str:
    """Verify a published build artifact, open it, and make it the current build.

    Anything wrong with it (a corrupt or partial artifact, another model, a damaged store)
    is refused with IndexNotReady before the current build changes. Returns its id.
    """
    root = settings.index_dir
    folder, manifest = unpack(data, sha256, root)
    try:
        LoadedBuild(folder, manifest, Encoders.of(encoders)).close()
        with build_lock(root):
            install(folder, root, manifest.build_id)
            write_pointer(root, manifest.build_id)
            prune(root)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return manifest.build_id


def _bounded(name: str) -> str:
    return name.strip()[:MAX_NAME_CHARS].strip()


def _ref(page: Page, score: float = 0.0) -> PageRef:
    return PageRef(page.slug, page.title, page.kind, page.lang, page.status, score)
