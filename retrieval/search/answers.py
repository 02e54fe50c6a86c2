"""From ranked hits to an `Answer`: is it grounded, which passages to quote, what to cite.

The honest "no" lives here: when the best page is not close enough to the question, the
answer says so and lists at most three nearby pages instead of quoting something weak.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from retrieval.index.reader import LoadedBuild
from retrieval.models import Answer, Citation, Question
from retrieval.search.ranking import Hit, Query, rank_in_language
from retrieval.search.snippets import make_snippet, mark_terms, select_sentences
from retrieval.settings import AnswerSettings

MAX_QUESTION_CHARS = 1000


class Answerer:
    def __init__(self, options: AnswerSettings, base_url: str | None) -> None:
        self.options = options
        self.base_url = base_url

    def answer(self, build: LoadedBuild, q: Question, query: Query, lang: str) -> Answer:
        """The answer to `q` in the asker's language `lang`."""
        opts = self.options
        threshold = opts.threshold if q.threshold is None else q.threshold
        include_stubs = opts.include_stubs if q.include_stubs is None else q.include_stubs
        limit = q.limit or opts.max_citations
        # Stubs are ranked too: never quoted (unless configured), but they may be "see also".
        ranked, _ = rank_in_language(build, query, lang, include_stubs=True)
        hits = [h for h in ranked if include_stubs or h.page.status != "stub"]
        notice = length_notice(q.text)
        if not grounded(hits, threshold):
            near = distinct_pages(h for h in ranked if h.dense >= opts.see_also_threshold)
            see_also = tuple(self.cite(h, query) for h in near[:3])
            return Answer(q.text, False, (), see_also, lang, None, notice=notice)
        floor = max(opts.see_also_threshold, threshold * 0.8)
        good = [h for h in hits if h.exact or h.dense >= floor]
        chosen = good[q.offset : q.offset + limit]
        citations = tuple(self.cite(h, query) for h in chosen)
        fell_back = lang != "en" and any(
            build.version_for(h.page.original_slug, lang)[1] for h in chosen
        )
        return Answer(
            q.text, bool(citations), citations, (), lang, "en" if fell_back else None,
            notice=notice, more=len(good) > q.offset + limit,
        )  # fmt: skip

    def cite(self, hit: Hit, query: Query) -> Citation:
        passage, page = hit.passage, hit.page
        chosen = select_sentences(
            passage.sentences, passage.vectors[query.role].sentence_vectors, query.vector,
            query.text, self.options.snippet_sentences,
        )  # fmt: skip
        snippet = make_snippet(passage.sentences, chosen) or passage.text[:300]
        return Citation(
            slug=page.slug, title=page.title, section=passage.section, kind=page.kind,
            status=page.status, tier=page.tier, lang=page.lang, snippet=snippet,
            score=round(hit.dense, 4), url=self.url(page.slug, passage.anchor),
            marks=mark_terms(snippet, query.text),
        )  # fmt: skip

    def url(self, slug: str, anchor: str | None = None) -> str | None:
        base = self.base_url
        if not base:
            return None
        link = base.rstrip("/") + "/" + slug
        return f"{link}#{anchor}" if anchor and anchor not in ("summary", "overview") else link


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


def distinct_pages(hits: Iterable[Hit]) -> list[Hit]:
    seen: set[str] = set()
    out = []
    for hit in hits:
        if hit.page.original_slug not in seen:
            seen.add(hit.page.original_slug)
            out.append(hit)
    return out


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
