"""Cutting a source file into retrievable chunks along its top-level definitions.

tree-sitter gives the definitions: every top-level node up to `MAX_CHUNK_LINES` lines is a chunk;
a bigger one (a class, a long function) is cut along its own children, recursively, and a node
with no children left is cut into overlapping windows of `WINDOW_LINES`. Tiny neighbours (imports,
comments, decorators, one-line statements) are merged, in runs of up to `MAX_RUN_LINES`, so that
a comment stays with the definition it documents. Files without a grammar, or whose parse yields
nothing, get plain windows.
"""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from asebench.code.languages import parser_for
from asebench.context.definitions import defined_names

CHUNKER_VERSION = 2
"""Bumped whenever chunk boundaries change, so cached indexes are rebuilt."""

MAX_CHUNK_LINES = 60
WINDOW_LINES = 40
WINDOW_OVERLAP = 10
SMALL_CHUNK_LINES = 3
MAX_RUN_LINES = 20
MAX_DEPTH = 24
"""Nesting below which big nodes are windowed rather than cut further (deep generated code)."""
_MAX_MERGE_GAP = 3
_MAX_SCOPE_CHARS = 160


@dataclass(frozen=True)
class Chunk:
    """Lines `start_line`..`end_line` (1-based, inclusive) of `path`.

    `scope` is the first line of the enclosing definition when the chunk was cut out of a bigger
    one (e.g. `class Session:` for a method), else "". `defines` names what the chunk defines
    (functions, classes, types, constants; a class's name goes with its first piece).
    """

    path: str
    start_line: int
    end_line: int
    text: str
    scope: str = ""
    defines: tuple[str, ...] = ()


@dataclass
class _Span:
    start: int  # 0-based rows, inclusive
    end: int
    scope: str
    only_small: bool
    names: tuple[str, ...] = ()

    @property
    def lines(self) -> int:
        return self.end - self.start + 1


def chunk_file(path: str, text: str) -> list[Chunk]:
    """The chunks of one file's text, in file order."""
    lines = text.split("\n")
    spans: list[_Span] = []
    parser = parser_for(path)
    if parser is not None:
        root = parser.parse(text.encode("utf-8", "surrogatepass")).root_node
        spans = _merge_small(_definition_spans(root, lines, ""))
    if not spans:
        spans = _windows(0, len(lines) - 1, "")
    chunks = []
    for span in spans:
        body = "\n".join(line.rstrip("\r") for line in lines[span.start : span.end + 1])
        if body.strip():
            chunk = Chunk(path, span.start + 1, span.end + 1, body, span.scope, span.names)
            chunks.append(chunk)
    return chunks


def _definition_spans(node: Node, lines: list[str], scope: str, depth: int = 0) -> list[_Span]:
    spans: list[_Span] = []
    for child in node.named_children:
        start, end = child.start_point.row, child.end_point.row
        if child.end_point.column == 0 and end > start:
            end -= 1  # the node stops at the start of the next line
        names = tuple(defined_names(child))
        if end - start + 1 <= MAX_CHUNK_LINES:
            small = end - start + 1 < SMALL_CHUNK_LINES
            spans.append(_Span(start, end, scope, small, names))
            continue
        if child.named_child_count and depth < MAX_DEPTH:
            inner_scope = _scope_of(child, lines, scope)
            pieces = _definition_spans(child, lines, inner_scope, depth + 1)
        else:
            pieces = _windows(start, end, scope)
        if pieces:
            pieces[0].names = names + pieces[0].names
        spans.extend(pieces)
    return spans


def _scope_of(node: Node, lines: list[str], outer: str) -> str:
    """The header line a big node gives its pieces; bodies and blocks pass the outer one on."""
    kind = node.type
    if kind.endswith(("block", "body", "_list")) or kind == "compound_statement":
        return outer
    row = node.start_point.row
    header = lines[row].strip()[:_MAX_SCOPE_CHARS] if row < len(lines) else ""
    return header or outer


def _merge_small(spans: list[_Span]) -> list[_Span]:
    """Join tiny spans with their neighbours: runs of small ones, and a small one with the next."""
    merged: list[_Span] = []
    for span in spans:
        if merged:
            last = merged[-1]
            fits = span.end - last.start + 1 <= MAX_CHUNK_LINES
            close = span.start - last.end - 1 <= _MAX_MERGE_GAP
            run = last.only_small and span.only_small and span.end - last.start < MAX_RUN_LINES
            joinable = last.lines < SMALL_CHUNK_LINES or run
            if fits and close and joinable and span.start > last.end:
                only_small = last.only_small and span.only_small
                names = last.names + span.names
                merged[-1] = _Span(last.start, span.end, span.scope, only_small, names)
                continue
        merged.append(span)
    return merged


def _windows(start: int, end: int, scope: str) -> list[_Span]:
    windows: list[_Span] = []
    first = start
    while True:
        last = min(first + WINDOW_LINES - 1, end)
        windows.append(_Span(first, last, scope, False))
        if last >= end:
            return windows
        first = last + 1 - WINDOW_OVERLAP
