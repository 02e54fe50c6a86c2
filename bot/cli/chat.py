"""`orgbot chat`: questions one after another, with a few commands and follow-up questions.

A line that is only a command word (a leading `/` is allowed) is a command: help, more, new,
lang, quit. Anything else is a question.

A question is a follow-up to the previous one when it starts with words that only continue
a conversation ("and", "also", "but", "what about", "how about", or the same in German,
French or Spanish), or when it is short: three words at most. A line like that rarely says
what it is about ("what about the risks?", "examples?"), so it is asked about the previous
answer's topic: the title of the page that answer quoted first, or, when it quoted none,
what the previous question was about. Asked as "Rent pledges: the risks?", the page named by
its title comes first and the section the follow-up asks for leads; the whole previous
question would bring its own "how do I…" along and pull the answer back to the section that
one asked for. A follow-up that names a page itself ("what about house meetings?") has a
topic of its own and is asked as typed. The question really asked is shown, and `new`
forgets the previous question.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import typer

from retrieval import Answer, KnowledgeBase, Question

from ..i18n import language_name, t
from .app import app, console, state
from .ask import LangOption, checked_lang, language_problem, open_knowledge_base
from .output import say
from .render import print_answer

# Words that begin a continuation, longest first so that "and what about" wins over "and".
OPENERS = sorted(
    [
        "and what about", "and how about", "what about", "how about", "and", "also", "but",
        "und was ist mit", "was ist mit", "und", "auch",
        "et qu'en est-il de", "qu'en est-il de", "et pour", "et",
        "y qué hay de", "qué hay de", "y", "también",
    ],
    key=len,
    reverse=True,
)  # fmt: skip
_OPENER = re.compile(rf"(?:{'|'.join(re.escape(o) for o in OPENERS)})\b[\s,:;]*", re.IGNORECASE)
_WORD = re.compile(r"\w+(?:['’-]\w+)*")
SHORT_WORDS = 3  # a line this short is taken as a follow-up
LONGEST_NAME = 5  # words in the longest page name looked for inside a follow-up

COMMANDS = (
    ("help", "show this list"),
    ("more", "the next results for the last question"),
    ("new", "forget the last question, so that the next one is asked on its own"),
    ("lang CODE", "answer in this language (auto, en, de, fr, es…); lang alone shows it"),
    ("quit", "leave (exit and Ctrl-D too)"),
)


def follow_up(line: str, topic: str, names_a_page: Callable[[str], bool]) -> str | None:
    """The question to ask for `line` when it follows a question about `topic`, or None when
    `line` is a question of its own (see the module's docstring for the rule)."""
    text = line.strip().lstrip("¿¡")
    opener = _OPENER.match(text)
    if opener:
        text = text[opener.end() :]
    words = _WORD.findall(text)
    if not words or (not opener and len(words) > SHORT_WORDS):
        return None
    spans = (
        " ".join(words[start:end])
        for start in range(len(words))
        for end in range(start + 1, min(start + LONGEST_NAME, len(words)) + 1)
    )
    if any(names_a_page(span) for span in spans):
        return None
    return f"{topic}: {text}"


@dataclass
class Turn:
    """The last question asked, for `more` and for the follow-ups after it."""

    asked: str  # the question as sent to retrieval
    topic: str  # what a follow-up to it is about
    lang: str
    answer: Answer  # the latest results shown for it
    shown: int  # citations shown so far; `more` continues after them


class Chat:
    def __init__(self, kb: KnowledgeBase, lang: str) -> None:
        self.kb = kb
        self.lang = lang
        self.last: Turn | None = None

    def handle(self, line: str) -> bool:
        """Act on one line; False when the user wants to leave."""
        word, _, argument = line.strip().removeprefix("/").partition(" ")
        word = word.casefold()
        if word in {"quit", "exit", ":q"} and not argument:
            return False
        if word in {"help", "?"} and not argument:
            self.help()
        elif word == "more" and not argument:
            self.more()
        elif word == "new" and not argument:
            self.last = None
            say(console, ("The next question is asked on its own.", "dim"))
        elif word == "lang" and len(argument.split()) <= 1:
            self.switch_lang(argument)
        elif line.strip():
            self.ask(line.strip())
        return True

    def ask(self, line: str) -> None:
        previous = self.last
        followed = follow_up(line, previous.topic, self.names_a_page) if previous else None
        locale = None
        if previous is not None and followed is not None:
            say(console, (f"asked as: {followed}", "dim"))
            # A follow-up is too short to tell its language by: keep the conversation's.
            locale = previous.answer.lang
        asked = followed or line
        answer = self.kb.ask(Question(asked, lang=self.lang, locale=locale))
        print_answer(console, answer)
        if answer.citations:
            topic = answer.citations[0].title
        elif answer.unwritten is not None:
            topic = answer.unwritten.title
        elif previous is not None and followed is not None:
            topic = previous.topic  # still about what the question before was about
        else:
            topic = line
        self.last = Turn(asked, topic, self.lang, answer, len(answer.citations))

    def more(self) -> None:
        turn = self.last
        if turn is None:
            say(console, "Ask a question first; more shows its next results.")
            return
        if not turn.answer.more:
            say(console, t("no_more", turn.answer.lang))
            return
        question = Question(turn.asked, lang=turn.lang, locale=turn.answer.lang, offset=turn.shown)
        answer = self.kb.ask(question)
        if not answer.citations:
            say(console, t("no_more", answer.lang))
        else:
            print_answer(console, answer, first=turn.shown + 1)
        turn.answer, turn.shown = answer, turn.shown + len(answer.citations)

    def switch_lang(self, code: str) -> None:
        code = code.strip().casefold()
        if code:
            problem = language_problem(code)
            if problem:
                say(console, problem)
                return
            self.lang = code
        if self.lang == "auto":
            say(console, "answering in the language of each question (auto)")
        else:
            say(console, f"answering in {language_name(self.lang)} ({self.lang})")

    def help(self) -> None:
        width = max(len(name) for name, _ in COMMANDS)
        say(console, "Commands, typed alone on a line (with or without a leading /):")
        for name, what in COMMANDS:
            say(console, "  ", (name.ljust(width), "bold"), "  ", what)
        say(console, "Anything else is a question. A line of up to three words, or one that "
            'starts with "and", "also", "but", "what about" or "how about", is a follow-up: '
            "it is asked about the page the last answer quoted first, unless it names a page "
            "itself.")  # fmt: skip

    def names_a_page(self, text: str) -> bool:
        return self.kb.lookup(text).page is not None


@app.command()
def chat(ctx: typer.Context, lang: LangOption = "auto") -> None:
    """Ask questions one after another; a follow-up is asked about the last answer.

    Type `help` in the chat for its commands: `more` shows the next results for the last
    question, `new` forgets it, `lang de` answers in German, `quit` or Ctrl-D leaves. A short
    line (three words at most), or one that starts with "and", "also", "but", "what about" or
    "how about", is a follow-up unless it names a page: after a question on rent pledges,
    "what about the risks?" is asked as "Rent pledges: the risks?".

    Example: `orgbot chat --lang de`
    """
    lang = checked_lang(lang)
    session = Chat(open_knowledge_base(state(ctx).settings.retrieval), lang)
    say(console, "Ask the wiki anything about organising. Type help for the commands; "
        "quit or Ctrl-D leaves.")  # fmt: skip
    while True:
        try:
            line = console.input("[bold]?[/bold] ")
        except (EOFError, KeyboardInterrupt):
            console.print()
            return
        if not session.handle(line):
            return
