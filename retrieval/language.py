"""Small language helpers: query terms without stop words, and a guess at the asker's language.

The guess only needs to tell English from the wiki's translation languages on short questions,
so counting common function words is enough and costs microseconds.
"""

from __future__ import annotations

import re

STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "a an the and or of to in on for with is are was were be been how do does did i we you "
        "they it my our your what whats which who whom when where why can could should would "
        "about as at by from into this that these those there their them me us vs versus not "
        "no yes if then than so any some pls please hi hey thanks anyone know get got way "
        "good best use using make doing am has have had will just".split()
    ),
    "de": frozenset(
        "der die das den dem des ein eine einen einem einer und oder ist sind war wie was wer "
        "wo warum wann ich wir ihr sie es mit für von zu im in auf an bei aus nicht kann können "
        "man mein unser gibt es eigentlich bitte".split()
    ),
    "fr": frozenset(
        "le la les un une des du de et ou est sont comment quoi que qui où pourquoi quand je "
        "nous vous ils elles il elle avec pour dans sur au aux par pas peut on mon notre ce "
        "cette ces faire qu est-ce".split()
    ),
    "es": frozenset(
        "el la los las un una unos unas y o es son cómo como qué que quién dónde por qué cuándo "
        "yo nosotros ustedes ellos con para en sobre al del de no puede se mi nuestro hacer "
        "hago hacemos".split()
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
