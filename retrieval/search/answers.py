"""From ranked hits to an `Answer`: is it grounded, which passages to quote, what to cite.

The honest "no" lives here: when no page is confidently an answer (`grounding`), the answer
says so and lists at most three nearby pages instead of quoting something weak. When the
page that matches best is a stub, the answer says the page exists but is not written yet.
Each citation carries its page's confidence, and citations are shown most confident first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from retrieval.index.reader import LoadedBuild
from retrieval.models import Answer, Citation, PageRef, Question
from retrieval.search.grounding import GroundingModel, evidence
from retrieval.search.ranking import MAX_QUESTION_CHARS, Hit, Query, rank_in_language
from retrieval.search.snippets import make_snippet, mark_terms, select_sentences
from retrieval.settings import AnswerSettings

# The cosine a page's closest passage must reach when no calibration fits the encoders.
COSINE_THRESHOLD = 0.35
# How far below its page's closest passage (by cosine) another section may be and still be
# quoted. The section the ranking puts first on its page is quoted whatever its cosine: it
# leads because it is the kind of section asked for ("any examples?" leads with the examples,
# whose cosine is often 0.3 below the summary's).
SECTION_SPREAD = 0.2


class Answerer:
    def __init__(
        self, options: AnswerSettings, base_url: str | None, grounding: GroundingModel | None
    ) -> None:
        self.options = options
        self.base_url = base_url
        self.grounding = grounding

    def threshold(self, lang: str) -> float:
        """The configured confidence to answer, else the one calibrated for questions
        written in `lang`."""
        if self.options.threshold is not None:
            return self.options.threshold
        return self.grounding.threshold_for(lang) if self.grounding else COSINE_THRESHOLD

    def confidence(self, build: LoadedBuild, query: Query, page_hits: Sequence[Hit]) -> float:
        """How likely the page of `page_hits` answers the question (a cosine, uncalibrated)."""
        if self.grounding is None:
            return max(hit.dense for hit in page_hits)
        return self.grounding.confidence(evidence(build, query, page_hits))

    def answer(self, build: LoadedBuild, q: Question, query: Query, lang: str) -> Answer:
        """The answer to `q` in the asker's language `lang`."""
        opts = self.options
        threshold = self.threshold(query.lang) if q.threshold is None else q.threshold
        include_stubs = opts.include_stubs if q.include_stubs is None else q.include_stubs
        limit = q.limit or opts.max_citations
        # Stubs are ranked too: never quoted (unless configured), but named when one matches
        # best, and listed as "see also".
        ranked, _ = rank_in_language(build, query, lang, include_stubs=True)
        hits = [h for h in ranked if include_stubs or h.page.status != "stub"]
        notice = length_notice(q.text)
        pages = by_page(ranked)
        confidence = _Memo(lambda slug: self.confidence(build, query, pages[slug]))
        if ranked and ranked[0].page.status == "stub" and not include_stubs:
            stub = ranked[0]
            sure = confidence[stub.page.original_slug]
            if stub.exact or sure >= threshold:
                unwritten = _ref(stub, sure, self.url(stub.page.slug))
                return Answer(
                    q.text, False, lang=lang, notice=notice, unwritten=unwritten,
                    calibrated=self.grounding is not None,
                )  # fmt: skip
        best = hits[0].page.original_slug if hits else None
        # Naming a page is one signal among others once calibrated: "who led the Glasgow rent
        # strikes?" names the rent-strikes page, which does not say.
        named = hits[0].exact and self.grounding is None if hits else False
        if best is None or not (named or confidence[best] >= threshold):
            near = distinct_pages(h for h in ranked if h.dense >= opts.see_also_threshold)
            see_also = tuple(
                self.cite(h, query, confidence[h.page.original_slug]) for h in near[:3]
            )
            return Answer(
                q.text, False, (), see_also, lang, None, notice=notice,
                calibrated=self.grounding is not None,
            )  # fmt: skip
        good = []
        for hit in hits:  # only as far as needed: each page's confidence costs a little
            if hit.exact or self._quotable(hit, pages, confidence, threshold):
                good.append(hit)
            if len(good) > q.offset + limit:
                break
        chosen = good[q.offset : q.offset + limit]
        citations = tuple(
            sorted(
                (self.cite(h, query, confidence[h.page.original_slug]) for h in chosen),
                key=lambda c: -c.score,
            )  # a stable sort: a page's sections keep their order
        )
        fell_back = lang != "en" and any(
            build.version_for(h.page.original_slug, lang)[1] for h in chosen
        )
        return Answer(
            q.text, bool(citations), citations, (), lang, "en" if fell_back else None,
            notice=notice, more=len(good) > q.offset + limit,
            calibrated=self.grounding is not None,
        )  # fmt: skip

    def _quotable(
        self, hit: Hit, pages: dict[str, list[Hit]], confidence: _Memo, threshold: float
    ) -> bool:
        """A passage worth quoting: close enough on its own (uncalibrated), or from a page
        that is nearly an answer, and either the page's first passage in the ranking or not
        far from its closest one (calibrated)."""
        if self.grounding is None:
            return hit.dense >= max(self.options.see_also_threshold, threshold * 0.8)
        slug = hit.page.original_slug
        if confidence[slug] < threshold * 0.8:
            return False
        leading = pages[slug][0]
        return hit is leading or hit.dense >= max(h.dense for h in pages[slug]) - SECTION_SPREAD

    def cite(self, hit: Hit, query: Query, confidence: float) -> Citation:
        passage, page = hit.passage, hit.page
        chosen = select_sentences(
            passage.sentences, passage.vectors[query.role].sentence_vectors, query.vector,
            query.text, self.options.snippet_sentences,
        )  # fmt: skip
        snippet = make_snippet(passage.sentences, chosen) or passage.text[:300]
        return Citation(
            slug=page.slug, title=page.title, section=passage.section, kind=page.kind,
            status=page.status, tier=page.tier, lang=page.lang, snippet=snippet,
            score=round(confidence, 2), url=self.url(page.slug, passage.anchor),
            marks=mark_terms(snippet, query.text), anchor=passage.anchor,
        )  # fmt: skip

    def url(self, slug: str, anchor: str | None = None) -> str | None:
        base = self.base_url
        if not base:
            return None
        link = base.rstrip("/") + "/" + slug
        return f"{link}#{anchor}" if anchor and anchor not in ("summary", "overview") else link


class _Memo:
    """A page's confidence, computed the first time it is asked for."""

    def __init__(self, compute: Callable[[str], float]) -> None:
        self._compute = compute
        self._known: dict[str, float] = {}

    def __getitem__(self, slug: str) -> float:
        if slug not in self._known:
            self._known[slug] = self._compute(slug)
        return self._known[slug]


def by_page(hits: Iterable[Hit]) -> dict[str, list[Hit]]:
    """Hits grouped by original page, pages in rank order, hits best first."""
    pages: dict[str, list[Hit]] = {}
    for hit in hits:
        pages.setdefault(hit.page.original_slug, []).append(hit)
    return pages


def first_stub_only(hits: Sequence[Hit]) -> list[Hit]:
    """A stub counts as a match only when it matches best: it is named then, never quoted."""
    return [hit for i, hit in enumerate(hits) if i == 0 or hit.page.status != "stub"]


def distinct_pages(hits: Iterable[Hit]) -> list[Hit]:
    return [group[0] for group in by_page(hits).values()]


def _ref(hit: Hit, confidence: float, url: str | None) -> PageRef:
    page = hit.page
    return PageRef(page.slug, page.title, page.kind, page.lang, page.status, confidence, url)


def nothing_to_search(question: str, lang: str) -> Answer:
    notice = (
        "That question is empty."
        if not question.strip()
        else "That question has no words to search for; try asking in a sentence."
    )
    return Answer(question, False, lang=lang, notice=notice)


def length_notice(question: str) -> str | None:
    if len(question) > MAX_QUESTION_CHARS:
        return f"Only the first {MAX_QUESTION_CHARS:,} characters of the question were used."
    return None
