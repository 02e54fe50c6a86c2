"""A page's front matter: found between its fences, read as YAML, bounded, with file lines.

Shared by the loader (which validates what is read) and the summary writer (which must
rewrite one field and leave every other byte alone), so both agree on where the front
matter ends.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from retrieval.models import Finding

# A front-matter fence: a line of three or more dashes. We split on it ourselves rather than
# with python-frontmatter, whose fence pattern also swallows the blank lines after it and so
# shifts every line number a finding reports.
FENCE_LINE = re.compile(r"-{3,}[ \t]*")
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# What a page's front matter may expand to once YAML aliases (`*name`) are followed. Nested
# aliases multiply: nine lines of them ("billion laughs") make 387 million values out of a
# few hundred bytes. The largest page in content/ has 82 values; these bounds leave room for
# any honest page and stop a hostile one before anything is built from it.
MAX_VALUES = 10_000
MAX_CHARACTERS = 1_000_000


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, first body line), or None when the text has no opening fence.

    The front matter is returned with the opening fence's line break in front, so a YAML
    line number plus one is the file line. An unclosed block gives a body line of 0.
    """
    first, newline, rest = text.partition("\n")
    if not FENCE_LINE.fullmatch(first):
        return None
    lines = rest.split("\n")
    for index, line in enumerate(lines):
        if FENCE_LINE.fullmatch(line):
            fm_text = newline + "\n".join(lines[:index])
            return fm_text, "\n".join(lines[index + 1 :]), index + 3
    return "", "", 0


def read_yaml(
    fm_text: str, rel: str
) -> tuple[dict[str, Any] | None, dict[str, int], list[Finding]]:
    """Front matter as a mapping plus the file line of each top-level key."""
    loader = YAML_LOADER(fm_text)
    try:
        node = loader.get_single_node()
        # Without an alias (`*name`) the front matter is as big as its text, and reading it
        # costs what reading the file did: only aliases can multiply it.
        aliased = "*" in fm_text or len(fm_text) > MAX_CHARACTERS
        too_big = oversized(node, rel) if node is not None and aliased else None
        if too_big is not None:
            return None, {}, [too_big]
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        line, column = _error_place(exc, fm_text)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return None, {}, [
            Finding("error", rel, line, "yaml", f"front matter is not valid YAML: {problem}",
                    "check indentation and quote values that contain `:` or start with `[`",
                    column)
        ]  # fmt: skip
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        # PyYAML builds dates and numbers itself: `date: 2026-02-30` raises a plain ValueError.
        return None, {}, [
            Finding("error", rel, _value_line(fm_text), "yaml",
                    f"front matter has a value YAML cannot read: {exc}",
                    "check dates are real (YYYY-MM-DD) or quote the value to keep it as text")
        ]  # fmt: skip
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        shape = "empty" if data is None else f"a {type(data).__name__}"
        return None, {}, [
            Finding("error", rel, 2, "front-matter-shape",
                    f"front matter must be a mapping of `key: value` lines, but it is {shape}",
                    "write fields as `title: ...` and `kind: ...`, one per line, not as a list")
        ]  # fmt: skip
    return data, *_key_lines(node, rel)


def _key_lines(node: yaml.Node | None, rel: str) -> tuple[dict[str, int], list[Finding]]:
    lines: dict[str, int] = {}
    findings: list[Finding] = []
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in lines:
                # YAML keeps the last value without a word; the first is easy to miss.
                findings.append(
                    Finding("warning", rel, key_node.start_mark.line + 1, "duplicate-field",
                            f"`{key}` is set twice (also on line {lines[key]}); the last one wins",
                            "keep one of the two lines")
                )  # fmt: skip
            lines[key] = key_node.start_mark.line + 1
            if isinstance(value_node, yaml.SequenceNode):
                for i, item in enumerate(value_node.value):
                    lines[f"{key}.{i}"] = item.start_mark.line + 1
    return lines, findings


def oversized(root: yaml.Node, rel: str) -> Finding | None:
    """A finding when the front matter expands past MAX_VALUES or MAX_CHARACTERS.

    Sizes are counted on the node graph with each shared node counted once per use but
    measured once, so a billion laughs is measured in microseconds, never expanded.
    """
    sizes = expanded_sizes(root)
    values, characters = sizes.get(id(root), (MAX_VALUES + 1, 0))
    if values <= MAX_VALUES and characters <= MAX_CHARACTERS:
        return None
    entries = root.value if isinstance(root, yaml.MappingNode) else []
    line, what = root.start_mark.line + 1, "front matter"
    for key_node, value_node in entries:
        count, length = sizes.get(id(value_node), (MAX_VALUES + 1, 0))
        if count > MAX_VALUES or length > MAX_CHARACTERS:
            line, what = key_node.start_mark.line + 1, f"`{key_node.value}`"
            break
    return Finding(
        "error", rel, line, "front-matter-size",
        f"{what} expands to {_amount(values, characters)} once its YAML aliases (`*name`) are "
        f"followed; a page's front matter may hold at most {MAX_VALUES:,} values and "
        f"{MAX_CHARACTERS:,} characters",
        "write the values out instead of nesting aliases (`&name` ... `*name`)",
    )  # fmt: skip


def _amount(values: int, characters: int) -> str:
    if values > MAX_VALUES:
        return f"{values:,} values" if values < 10**15 else "more values than can be counted"
    return f"{characters:,} characters"


def expanded_sizes(root: yaml.Node) -> dict[int, tuple[int, int]]:
    """(values, characters) each node stands for with aliases followed, by node id.

    Iterative and memoised: a shared node is measured once; a node that contains itself
    (`&a [*a]`) stands for an unbounded amount.
    """
    unbounded = (MAX_VALUES + 1, MAX_CHARACTERS + 1)
    sizes: dict[int, tuple[int, int]] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        children = _children(node)
        if not children_done:
            if id(node) in open_nodes:  # reached again while measuring itself: a cycle
                sizes[id(node)] = unbounded
                continue
            open_nodes.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
            continue
        open_nodes.discard(id(node))
        values, characters = 1, len(node.value) if isinstance(node, yaml.ScalarNode) else 0
        for child in children:
            count, length = sizes.get(id(child), unbounded)
            values, characters = values + count, characters + length
        sizes[id(node)] = (values, characters)
    return sizes


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _value_line(fm_text: str) -> int:
    """Best line for a value error PyYAML reports without a position: the first date-like line."""
    for number, line in enumerate(fm_text.split("\n"), start=1):
        if re.search(r"\d{4}-\d{1,2}-\d{1,2}", line):
            return number
    return 2


def _error_place(exc: yaml.YAMLError, fm_text: str) -> tuple[int, int]:
    """The file line and column of a YAML error; an error found only at the end of the block
    (say, an unclosed bracket) is reported where the broken construct starts."""
    filled = [i for i, text in enumerate(fm_text.split("\n")) if text.strip()]
    last = filled[-1] if filled else 0
    problem = getattr(exc, "problem_mark", None)
    context = getattr(exc, "context_mark", None)
    if problem is not None and problem.line <= last:
        return int(problem.line) + 1, int(problem.column) + 1
    if context is not None:
        return int(context.line) + 1, int(context.column) + 1
    return last + 1, 1
