"""`orgbot ask`: a question, or one per line of standard input, from the terminal."""

from __future__ import annotations

import json
import re
import sys
from typing import Annotated

import typer
from rich.text import Text

from retrieval import (
    LANGUAGES,
    KnowledgeBase,
    Question,
    RetrievalSettings,
    current_build,
    load_encoders,
)

from .app import app, console, err_console, fail, state
from .index import run_build
from .output import say
from .render import answer_json, print_answer

EXAMPLE = 'orgbot ask "how do I run a one-to-one?"'

LangOption = Annotated[
    str,
    typer.Option(
        "--lang",
        "-l",
        metavar="CODE",
        help="Answer in this language (en, de, fr, es…); auto guesses.",
    ),
]


def open_knowledge_base(settings: RetrievalSettings) -> KnowledgeBase:
    """Open the current build, building one first when there is none."""
    encoders = load_encoders(settings)
    if current_build(settings.index_dir) is None:
        # On standard error, like the build's report, so that standard output holds only
        # answers (one JSON line each with --json).
        say(err_console, "No index yet: building one from content/ (first run only).")
        run_build(settings, encoders, full=False, to=err_console)
    return KnowledgeBase.open(settings, encoders)


def language_problem(lang: str) -> str | None:
    """Why `lang` (already lower case) cannot be answered in, or None when it can."""
    if lang == "auto" or lang in LANGUAGES:
        return None
    return f"unknown language {lang!r}; use auto or one of: {', '.join(LANGUAGES)}"


def checked_lang(lang: str) -> str:
    """`--lang` in lower case, and one the wiki knows (or `auto`)."""
    lang = lang.strip().casefold()
    problem = language_problem(lang)
    if problem:
        fail(problem)
    return lang


def check_question(question: str) -> None:
    """One question on the command line must have words in it; it is a usage error else, and
    said before anything is loaded or built."""
    if not question.strip():
        fail(f"the question is empty; ask one in words, e.g. {EXAMPLE}")
    if not re.search(r"\w", question):
        fail(f"the question has no words to search for; ask it in a sentence, e.g. {EXAMPLE}")


@app.command()
def ask(
    ctx: typer.Context,
    question: Annotated[
        str,
        typer.Argument(metavar="QUESTION", help='The question, or "-" to read one per line.'),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
    lang: LangOption = "auto",
    include_stubs: Annotated[
        bool,
        typer.Option(
            "--include-stubs", help="Also quote stub pages, whatever [answer] include_stubs says."
        ),
    ] = False,
) -> None:
    """Ask the wiki a question and see the passages that answer it, cited.

    With "-" reads one question per line from standard input and, with --json, writes one
    JSON line per question in the same order.

    Examples:
      orgbot ask "how do I run a one-to-one?"
      orgbot ask --json "what is power mapping"
      printf 'what is a rent strike\\nwho was gene sharp\\n' | orgbot ask --json -
    """
    if question != "-":
        check_question(question)
    chosen_lang, stubs = checked_lang(lang), include_stubs or None
    kb = open_knowledge_base(state(ctx).settings.retrieval)
    questions = (line.rstrip("\r\n") for line in sys.stdin) if question == "-" else [question]
    for text in questions:
        if question == "-" and not text.strip():
            continue
        answer = kb.ask(Question(text, lang=chosen_lang, include_stubs=stubs))
        if as_json:
            sys.stdout.write(json.dumps(answer_json(answer), ensure_ascii=False) + "\n")
            sys.stdout.flush()
        else:
            if question == "-":
                console.rule(Text(text[:80]))
            print_answer(console, answer)
