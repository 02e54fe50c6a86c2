"""Small language helpers: query terms without stop words, and a guess at the asker's language.

The guess only needs to tell English from the wiki's translation languages on short questions,
so counting common function words is enough and costs microseconds.
"""

from __future__ import annotations

import re

STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        """
        a about am an and any anyone are as at be been best by can could did do does
        doing for from get good got had has have hey hi how i if in into is it just know
        make me my no not of on or our please pls should so some than thanks that the
        their them then there these they this those to us use using versus vs was way we
        were what whats when where which who whom why will with would yes you your
        """.split()  # noqa: SIM905 (a word list reads better as text)
    ),
    "de": frozenset(
        """
        an auf aus bei bitte das dem den der des die eigentlich ein eine einem einen
        einer es für gibt ich ihr im in ist kann können man mein mit nicht oder sie sind
        und unser von wann war warum was wer wie wir wo zu
        """.split()  # noqa: SIM905 (a word list reads better as text)
    ),
    "fr": frozenset(
        """
        au aux avec ce ces cette comment dans de des du elle elles est est-ce et faire
        il ils je la le les mon notre nous on ou où par pas peut pour pourquoi qu quand
        que qui quoi sont sur un une vous
        """.split()  # noqa: SIM905 (a word list reads better as text)
    ),
    "es": frozenset(
        """
        al como con cuándo cómo de del dónde el ellos en es hacemos hacer hago la las
        los mi no nosotros nuestro o para por puede que quién qué se sobre son un una
        unas unos ustedes y yo
        """.split()  # noqa: SIM905 (a word list reads better as text)
    ),
}
_ALL_STOPWORDS = frozenset().union(*STOPWORDS.values())
_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def content_terms(text: str) -> list[str]:
    """The words of a question worth searching for, in order, without repeats."""
    seen: dict[str, None] = {}
    for word in words(text):
        if word not in _ALL_STOPWORDS and (len(word) > 1 or word.isdigit()):
            seen.setdefault(word, None)
    return list(seen)


def guess_language(text: str, default: str = "en") -> str:
    """The language whose function words the question uses most; `default` on a tie."""
    tokens = words(text)
    scores = {lang: sum(token in stop for token in tokens) for lang, stop in STOPWORDS.items()}
    best = max(scores, key=lambda lang: (scores[lang], lang == default))
    return best if scores[best] > scores.get(default, 0) else default
