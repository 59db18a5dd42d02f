"""Structural operator: reorder independent definitions (top-level functions, class methods).

Python runs definitions when the module loads: a function's decorators, default values and
annotations are evaluated then, so a definition whose header names another definition of the
same run is pinned in place, as is any name defined twice (the last one wins). Top-level
JavaScript, PHP and Go functions are hoisted (Go's and Java's methods too) and class methods
are members, so their order never matters; other statements are barriers. C is left alone: a
function must be declared before its first use. Each definition moves with the comment
lines directly above it; a masked region moves with the definition that holds it, and a
definition that holds only part of a region is pinned.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

import tree_sitter

from asebench.dataset.schema import Language
from asebench.mutation.edits import Span
from asebench.mutation.outcome import FileState, OperatorOutcome
from asebench.mutation.syntax import lines_of, parsed, text_of, walk, words


@dataclass(frozen=True)
class _Chunk:
    first: int
    last: int
    name: str
    movable: bool


_ORDER_FREE: dict[Language, frozenset[str]] = {
    Language.JAVASCRIPT: frozenset({"function_declaration", "generator_function_declaration",
                                    "method_definition"}),
    Language.JAVA: frozenset({"method_declaration", "constructor_declaration"}),
    Language.GO: frozenset({"function_declaration", "method_declaration"}),
    Language.PHP: frozenset({"function_definition", "method_declaration"}),
}
"""Per language, the definitions whose order never matters (hoisted, or class members)."""
_BODIES: dict[Language, frozenset[str]] = {
    Language.PYTHON: frozenset({"block"}), Language.JAVASCRIPT: frozenset({"class_body"}),
    Language.JAVA: frozenset({"class_body"}), Language.GO: frozenset(),
    Language.PHP: frozenset({"declaration_list"}),
}
"""Per language, the class-body node types whose members may be reordered."""
_COMMENTS = frozenset({"comment", "line_comment", "block_comment"})
REORDER_LANGUAGES = frozenset({Language.PYTHON, *_ORDER_FREE})


def _definition(node: tree_sitter.Node, language: Language) -> tuple[str, str] | None:
    """(name, header text evaluated at definition time) of a movable definition, or None."""
    if language is Language.PYTHON:
        inner = node.child_by_field_name("definition") if node.type == "decorated_definition" \
            else node
        if inner is None or inner.type != "function_definition":
            return None
        name = inner.child_by_field_name("name")
        decorators = [text_of(c) for c in node.children if c.type == "decorator"]
        parts = [inner.child_by_field_name(f) for f in ("parameters", "return_type")]
        header = [text_of(part) for part in parts if part is not None]
        return (text_of(name) if name else "", " ".join(decorators + header))
    if node.type in _ORDER_FREE.get(language, frozenset()):
        name = node.child_by_field_name("name")
        return (text_of(name) if name else "", "")
    return None


def _containers(root: tree_sitter.Node, language: Language) -> list[list[tree_sitter.Node]]:
    """Statement lists whose definitions may be reordered: the module and class bodies."""
    out = [list(root.named_children)]
    for node in walk(root):
        if node.type in ("class_definition", "class_declaration", "class"):
            body = node.child_by_field_name("body")
            if body is not None and body.type in _BODIES[language]:
                out.append(list(body.named_children))
    return out


def _chunks(statements: list[tree_sitter.Node], language: Language,
            regions: list[Span]) -> list[_Chunk]:
    found: list[tuple[tree_sitter.Node, tuple[str, str] | None, int]] = []
    comments: list[tree_sitter.Node] = []
    for node in statements:
        if node.type in _COMMENTS:
            comments.append(node)
            continue
        first = lines_of(node)[0]
        while comments and lines_of(comments[-1])[1] == first - 1:
            first = lines_of(comments.pop())[0]
        comments = []
        found.append((node, _definition(node, language), first))
    names = Counter(d[0] for _, d, _ in found if d is not None)
    defined = {n for n in names}
    chunks = []
    for node, definition, first in found:
        last = lines_of(node)[1]
        movable = definition is not None and names[definition[0]] == 1 and not (
            words(definition[1]) & defined)
        for span in regions:
            inside = first <= span.start and span.end <= last
            if span.overlaps_lines(first, last) and not inside:
                movable = False
        chunks.append(_Chunk(first, last, definition[0] if definition else "", movable))
    return chunks


def _runs(chunks: list[_Chunk]) -> list[list[_Chunk]]:
    runs: list[list[_Chunk]] = [[]]
    for chunk in chunks:
        if chunk.movable:
            runs[-1].append(chunk)
        elif runs[-1]:
            runs.append([])
    return [run for run in runs if len(run) >= 2]


def _permute(lines: list[str], run: list[_Chunk], order: list[int],
             regions: list[Span]) -> tuple[list[str], list[Span]]:
    """Put chunk `order[i]` in slot `i`; the lines between chunks stay where they are."""
    start, end = run[0].first, run[-1].last
    moved: list[str] = []
    line_map: dict[int, int] = {}
    for slot, index in enumerate(order):
        chunk = run[index]
        base = start + len(moved)
        for offset in range(chunk.last - chunk.first + 1):
            line_map[chunk.first + offset] = base + offset
        moved.extend(lines[chunk.first - 1:chunk.last])
        if slot + 1 < len(run):
            gap_from, gap_to = run[slot].last + 1, run[slot + 1].first - 1
            for line in range(gap_from, gap_to + 1):
                line_map[line] = start + len(moved) + (line - gap_from)
            moved.extend(lines[gap_from - 1:gap_to])
    new_lines = lines[:start - 1] + moved + lines[end:]
    new_regions = []
    for span in regions:
        if span.start in line_map:
            new_regions.append(span.shifted(line_map[span.start] - span.start))
        else:
            new_regions.append(span)
    return new_lines, new_regions


def _trimmed(span: Span, lines: list[str]) -> Span:
    """`span` without its blank edge lines (they stay in the file when it is masked)."""
    start, end = span.start, min(span.end, len(lines))
    while start <= end and not lines[start - 1].strip():
        start += 1
    while end >= start and not lines[end - 1].strip():
        end -= 1
    return Span(start, end) if start <= end else span


def reorder(language: Language, state: FileState, rng: random.Random) -> OperatorOutcome:
    """Shuffle each run of independent definitions (a seeded permutation that moves at least
    one definition where a run has two or more). Raises ValueError for C, where a function
    must be declared before it is used."""
    if language not in REORDER_LANGUAGES:
        raise ValueError(f"reorder-definitions does not support {language}")
    outcome = OperatorOutcome(state.text, list(state.regions))
    tree = parsed(language, state.text, state.path)
    lines = state.text.split("\n")
    trimmed = [_trimmed(span, lines) for span in state.regions]
    runs = [run for container in _containers(tree.root_node, language)
            for run in _runs(_chunks(container, language, trimmed))]
    regions = list(state.regions)
    for run in sorted(runs, key=lambda r: r[0].first, reverse=True):  # bottom up: lines hold
        order = list(range(len(run)))
        rng.shuffle(order)
        if order == sorted(order):
            order = order[1:] + order[:1]
        lines, regions = _permute(lines, run, order, regions)
        outcome.changes.append(f"line {run[0].first}: {', '.join(c.name for c in run)} -> "
                               f"{', '.join(run[i].name for i in order)}")
    outcome.text = "\n".join(lines)
    outcome.regions = regions
    return outcome
