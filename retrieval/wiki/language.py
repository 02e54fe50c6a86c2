"""Small language helpers: query terms without stop words, and which language a text is in.

Telling the wiki's languages apart on a short question needs no model: its function words,
its letters (ß, ñ, ç…) and its script say enough, in microseconds. When they do not (a bare
"Mietstreik?"), `detect` says so, and the asker's own language decides.
"""

from __future__ import annotations

import re

from retrieval.models import DEFAULT_LANG, Question

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

# More function words, for telling languages apart only (lexical search keeps STOPWORDS), and
# three languages the wiki has no pages in, so their questions are recognised as such.
_MORE_WORDS: dict[str, str] = {
    "de": "auch aber noch wenn dass damit uns unsere unseren unserer sich sollen sollten "
    "müssen muss können bei gegen ohne welche welcher was gibt es",
    "fr": "quel quelle quels quelles est-ce qu'on nos votre vos leur leurs sans aussi mais "
    "doit peut-on faut comment pourquoi ça très être avoir",
    "es": "cuál cuáles cuando donde porque pero también nuestra nuestras nuestros hay "
    "tenemos podemos debemos cómo qué muy ser estar",
    "it": "il lo gli della delle degli che chi come cosa perché quando dove nostro nostra "
    "sono siamo è non una uno per con",
    "pt": "o os as da das do dos que como quando onde porque nosso nossa não é uma um para "
    "com são somos você vocês",
    "nl": "de het een en van ik je jij we wij hoe wat waarom wanneer waar niet zijn is met "
    "voor onze ons",
}
DETECT_WORDS: dict[str, frozenset[str]] = {
    lang: STOPWORDS.get(lang, frozenset()) | frozenset(_MORE_WORDS.get(lang, "").split())
    for lang in ("en", "de", "fr", "es", "it", "pt", "nl")
}
# Letters that occur in one of the wiki's languages and not in the others.
_LETTERS = {"de": "äöüß", "fr": "çèêëîïôœùûÿàâ", "es": "ñ¿¡áíóú", "pt": "ãõ"}
# Scripts whose languages the encoders know but the wiki has no pages in.
_SCRIPTS = (
    ("ru", r"[\u0400-\u04ff]"), ("el", r"[\u0370-\u03ff]"), ("he", r"[\u0590-\u05ff]"),
    ("ar", r"[\u0600-\u06ff]"), ("hi", r"[\u0900-\u097f]"), ("ja", r"[\u3040-\u30ff]"),
    ("ko", r"[\uac00-\ud7af]"), ("zh", r"[\u4e00-\u9fff]"), ("th", r"[\u0e00-\u0e7f]"),
)  # fmt: skip


def words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def content_terms(text: str) -> list[str]:
    """The words of a question worth searching for, in order, without repeats."""
    seen: dict[str, None] = {}
    for word in words(text):
        if word not in _ALL_STOPWORDS and (len(word) > 1 or word.isdigit()):
            seen.setdefault(word, None)
    return list(seen)


def detect(text: str) -> str | None:
    """The language `text` is written in, when its words, letters or script make it clear."""
    letters = [c for c in text if c.isalpha()]
    for lang, pattern in _SCRIPTS:
        if letters and len(re.findall(pattern, text)) * 2 >= len(letters):
            return lang
    tokens = words(text)
    scores = {
        lang: float(sum(token in known for token in tokens)) for lang, known in DETECT_WORDS.items()
    }
    lowered = text.casefold()
    for lang, marks in _LETTERS.items():
        if any(mark in lowered for mark in marks):
            scores[lang] += 1.5
    ranked = sorted(scores.items(), key=lambda pair: -pair[1])
    (best, top), (_, second) = ranked[0], ranked[1]
    return best if top >= 1 and top > second else None


def guess_language(text: str, default: str = "en") -> str:
    """The language `text` is written in, or `default` when that is not clear."""
    return detect(text) or default


def written_in(text: str, question: Question) -> str:
    """The language a question is written in: detected, else the language asked for, else
    the asker's interface language, else English."""
    asked = question.lang if question.lang != "auto" else None
    return detect(text) or asked or question.locale or DEFAULT_LANG


def answer_language(question: Question, written: str) -> str:
    """The language to answer in: the one asked for, else the one the question is in."""
    return question.lang if question.lang != "auto" else written
