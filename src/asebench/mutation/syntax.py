"""tree-sitter helpers the operators share: walking, node text, the words in string literals."""

from __future__ import annotations

import re
from collections.abc import Iterator

import tree_sitter

from asebench.code.languages import parse
from asebench.dataset.schema import Language

WORD = re.compile(r"[A-Za-z_$][\w$]*")
STRING_TEXT_TYPES = frozenset({"string_content", "string_fragment", "escape_sequence"})
"""Literal text inside strings (not f-string / template substitutions, which are code)."""


def parsed(language: Language, text: str, path: str = "") -> tree_sitter.Tree:
    return parse(language, text, path)


def walk(node: tree_sitter.Node) -> Iterator[tree_sitter.Node]:
    """Every node under `node` (itself included), in document order, iteratively."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))


def has_ancestor(node: tree_sitter.Node, types: frozenset[str] | set[str]) -> bool:
    """Whether a node above `node` (not `node` itself) has one of `types`."""
    ancestor = node.parent
    while ancestor is not None:
        if ancestor.type in types:
            return True
        ancestor = ancestor.parent
    return False


def text_of(node: tree_sitter.Node) -> str:
    return (node.text or b"").decode("utf-8")


def string_words(node: tree_sitter.Node) -> dict[str, int]:
    """Each word written inside a string literal (or a comment-free regex) under `node`, with
    the 1-based line of its first occurrence. Substitutions (`f"{x}"`, `${x}`) are code, not
    text, and are left out."""
    words: dict[str, int] = {}
    for child in walk(node):
        literal = child.type in STRING_TEXT_TYPES or (
            child.type in ("string", "regex_pattern") and child.child_count == 0)
        if literal:
            for word in WORD.findall(text_of(child)):
                words.setdefault(word, child.start_point[0] + 1)
    return words


def words(text: str) -> set[str]:
    """Every identifier-like word of `text` (a conservative over-approximation of its names)."""
    return set(WORD.findall(text))


def lines_of(node: tree_sitter.Node) -> tuple[int, int]:
    """The 1-based first and last line of `node`."""
    return node.start_point[0] + 1, node.end_point[0] + 1
