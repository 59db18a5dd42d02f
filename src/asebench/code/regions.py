"""Mask regions of a file with one marker line each, and put code back in their place.

A marker keeps the indentation of the region's first code line, so the model sees where the code
goes. Insertion re-indents the answer to that indentation (tabs included) and records the exact
lines the inserted code occupies, which is what static findings are matched against.
No brace "balancing": an answer that does not parse is reported as such, never repaired.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

MARKER_TEXT = "<MASKED REGION {index}>"
_MARKER_RE = re.compile(r"<MASKED REGION (\d+)>")


@dataclass(frozen=True)
class Span:
    """Lines `start`..`end` (1-based, inclusive); `end < start` means an empty insertion."""

    start: int
    end: int

    def intersects(self, start: int, end: int) -> bool:
        return self.end >= self.start and start <= self.end and end >= self.start


@dataclass(frozen=True)
class MaskedFile:
    """A file with its regions replaced by marker lines."""

    path: str
    text: str
    indents: dict[int, str]
    originals: dict[int, str]
    markers: dict[int, str] = field(default_factory=dict)


def marker_line(index: int, indent: str, comment: str) -> str:
    return f"{indent}{comment} {MARKER_TEXT.format(index=index)}"


def marker_index(line: str) -> int | None:
    """The region number a marker line names, or None when the line is not a marker."""
    match = _MARKER_RE.search(line)
    return int(match.group(1)) if match else None


def _indent_of(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def region_indent(lines: list[str]) -> str:
    """The indentation of the first non-blank line of a region."""
    for line in lines:
        if line.strip():
            return _indent_of(line)
    return ""


def _line_ending(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def mask_regions(
    path: str, text: str, regions: dict[int, tuple[int, int]], comment: str
) -> MaskedFile:
    """Replace each region `index -> (start, end)` (1-based inclusive lines) by one marker line."""
    lines = text.splitlines(keepends=True)
    ordered = sorted(regions.items(), key=lambda item: item[1][0])
    for (_, (_, end)), (_, (next_start, _)) in itertools.pairwise(ordered):
        if next_start <= end:
            raise ValueError(f"{path}: masked regions overlap at line {next_start}")
    indents: dict[int, str] = {}
    originals: dict[int, str] = {}
    markers: dict[int, str] = {}
    newline = _line_ending(text)
    for index, (start, end) in sorted(ordered, key=lambda item: -item[1][0]):
        if end > len(lines):
            raise ValueError(f"{path}: region {index} ends at line {end}, file has {len(lines)}")
        chunk = lines[start - 1 : end]
        indent = region_indent(chunk)
        indents[index] = indent
        originals[index] = "".join(chunk)
        markers[index] = marker_line(index, indent, comment)
        lines[start - 1 : end] = [markers[index] + newline]
    return MaskedFile(path, "".join(lines), indents, originals, markers)


def _common_prefix(strings: list[str]) -> str:
    if not strings:
        return ""
    prefix = strings[0]
    for other in strings[1:]:
        while not other.startswith(prefix):
            prefix = prefix[:-1]
    return prefix


def reindent(code: str, indent: str) -> str:
    """Strip the answer's common indentation and give every line the region's indentation."""
    lines = code.replace("\r\n", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    common = _common_prefix([_indent_of(line) for line in lines if line.strip()])
    return "\n".join(indent + line[len(common) :] if line.strip() else "" for line in lines)


def reindent_flush_first(code: str, indent: str) -> str | None:
    """The reading of an answer whose first line lost its indentation but whose other lines kept
    the file's absolute indentation (a copy starting mid-line). None when that reading is moot."""
    lines = code.replace("\r\n", "\n").strip("\n").split("\n")
    rest = [line for line in lines[1:] if line.strip()]
    if not indent or len(lines) < 2 or _indent_of(lines[0]) or not rest:
        return None
    if not all(line.startswith(indent) for line in rest):
        return None
    return "\n".join([indent + lines[0], *lines[1:]])


@dataclass(frozen=True)
class Insertion:
    """A candidate file: the masked file with code in every marker's place."""

    text: str
    spans: dict[int, Span]


def insert_code(masked: MaskedFile, code: dict[int, str]) -> Insertion:
    """Put already-indented `code[index]` in place of each marker; record the inserted lines."""
    newline = _line_ending(masked.text)
    out: list[str] = []
    spans: dict[int, Span] = {}
    for line in masked.text.splitlines(keepends=True):
        index = marker_index(line)
        if index is None or index not in masked.markers or line.rstrip("\r\n") != (
            masked.markers[index]
        ):
            out.append(line)
            continue
        body = code.get(index, "")
        body_lines = body.split("\n") if body else []
        start = len(out) + 1
        out.extend(text + newline for text in body_lines)
        spans[index] = Span(start, start + len(body_lines) - 1)
    missing = set(masked.markers) - set(spans)
    if missing:
        raise ValueError(f"{masked.path}: marker line(s) {sorted(missing)} not found")
    return Insertion("".join(out), spans)
