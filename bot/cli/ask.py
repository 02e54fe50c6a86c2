"""`orgbot ask` and `orgbot chat`: questions from the terminal."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

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
from .render import answer_json, print_answer

LangOption = Annotated[
    str,
    typer.Option("--lang", "-l", help="Answer in this language (en, de, fr, es…); auto guesses."),
]


def open_knowledge_base(settings: RetrievalSettings) -> KnowledgeBase:
    """Open the current build, building one first when there is none."""
    encoders = load_encoders(settings)
    if current_build(settings.index_dir) is None:
        err_console.print("No index yet: building one from content/ (first run only).")
        run_build(settings, encoders, full=False)
    return KnowledgeBase.open(settings, encoders)


def checked_lang(lang: str) -> str:
    """`--lang` in lower case, and one the wiki knows (or `auto`)."""
    lang = lang.strip().casefold()
    if lang != "auto" and lang not in LANGUAGES:
        fail(f"unknown language {lang!r}; use auto or one of: {', '.join(LANGUAGES)}")
    return lang


@app.command()
def ask(
    ctx: typer.Context,
    question: Annotated[str, typer.Argument(help='The question, or "-" to read one per line.')],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
    lang: LangOption = "auto",
    include_stubs: Annotated[
        bool, typer.Option("--include-stubs", help="Also quote stub pages.")
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
    kb = open_knowledge_base(state(ctx).settings.retrieval)
    chosen_lang, stubs = checked_lang(lang), include_stubs or None
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
                console.rule(text[:80])
            print_answer(console, answer)


@app.command()
def chat(ctx: typer.Context, lang: LangOption = "auto") -> None:
    """Ask questions one after another in an interactive loop (Ctrl-D or "quit" to leave).

    Example: orgbot chat
    """
    lang = checked_lang(lang)
    kb = open_knowledge_base(state(ctx).settings.retrieval)
    console.print("Ask the wiki anything about organising. Ctrl-D or 'quit' to leave.")
    while True:
        try:
            text = console.input("[bold]?[/bold] ")
        except (EOFError, KeyboardInterrupt):
            console.print()
            return
        if text.strip().casefold() in {"quit", "exit", ":q"}:
            return
        if text.strip():
            print_answer(console, kb.ask(Question(text, lang=lang)))
