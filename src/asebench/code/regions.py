"""Mask regions of a file with one marker line each, and put code back in their place.

Lines are split and numbered on "\\n" only: a form feed, "\\x1c".."\\x1e", "\\x85" or
"\\u2028" is part of a line, never a break (`str.splitlines` would count them), and a "\\r"
before the "\\n" belongs to its line.

A region is lines `start`..`end` (1-based, inclusive). `end == start - 1` is a zero-line
region: nothing is removed, and the marker goes between lines `start - 1` and `start` (code the
fix adds, such as a helper or an import). Blank lines at the edges of a region stay in the file:
they carry nothing, and an answer never reproduces them.

The marker carries the region's common indentation (the longest whitespace prefix of all its
non-blank lines), so a region that starts deeper than it ends comes back where it was; a
zero-line region takes the indentation of the next non-blank line. Insertion re-indents the
answer to that indentation (tabs included), keeps the region's line endings, and records the
exact lines the inserted code occupies, which is what static findings are matched against.
Round trip: inserting `reindent(originals[i], indents[i])` gives back the file byte for byte.
No brace "balancing": an answer that does not parse is reported as such, never repaired.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from asebench.dataset.gold import split_lines

MARKER_TEXT = "<MASKED REGION {index}>"
_MARKER_RE = re.compile(r"<MASKED REGION (\d+)>")
_BLANK = " \t\r\f\v"


@dataclass(frozen=True)
class Span:
    """Lines `start`..`end` (1-based, inclusive); `end < start` means an empty insertion."""

    start: int
    end: int

    def intersects(self, start: int, end: int) -> bool:
        return self.end >= self.start and start <= self.end and end >= self.start


SpanKey = int | str
"""A key of `Insertion.spans`: a region number, or `"<n>.imports"` / `"<n>.helpers"` for code
the answer to region n added elsewhere in the file."""


@dataclass(frozen=True)
class MaskedFile:
    """A file with its regions replaced by marker lines.

    `indents[i]` is the indentation answers to region i get; `first_indents[i]` the indentation
    of the region's first line (for answers copied from mid-line); `originals[i]` the exact text
    the marker replaced ("" for a zero-line region); `newlines[i]` the region's line ending
    ("\\r\\n", "\\n", or None when it mixes both); `defines[i]` the names the original region
    defines (functions, classes, methods, assigned names; empty when unknown).
    `import_line` is the masked-file line before which added imports go, `helper_lines[i]` the
    line before which helpers added by the answer to region i go (None: keep them in place).
    `lines[i]` is the `(start, end)` the marker replaced in the original file (the region
    without its blank edge lines).
    """

    path: str
    text: str
    indents: dict[int, str]
    originals: dict[int, str]
    markers: dict[int, str] = field(default_factory=dict)
    first_indents: dict[int, str] = field(default_factory=dict)
    newlines: dict[int, str | None] = field(default_factory=dict)
    defines: dict[int, frozenset[str]] = field(default_factory=dict)
    import_line: int | None = None
    helper_lines: dict[int, int | None] = field(default_factory=dict)
    lines: dict[int, tuple[int, int]] = field(default_factory=dict)

    def masked_line(self, line: int) -> int | None:
        """Where "before line `line` of the original file" is in the masked file; None when
        that place is inside a masked region."""
        shift = 0
        for start, end in self.lines.values():
            if end >= start and start < line <= end:
                return None
            if end >= start and end < line:
                shift -= end - start
            elif end < start and start < line:
                shift += 1
        return line + shift


def marker_line(index: int, indent: str, comment: str) -> str:
    return f"{indent}{comment} {MARKER_TEXT.format(index=index)}"


def marker_index(line: str) -> int | None:
    """The region number a marker line names, or None when the line is not a marker."""
    match = _MARKER_RE.search(line)
    return int(match.group(1)) if match else None


def is_blank(line: str) -> bool:
    return not line.strip(_BLANK + "\n")


def _indent_of(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _common_prefix(strings: list[str]) -> str:
    if not strings:
        return ""
    prefix = strings[0]
    for other in strings[1:]:
        while not other.startswith(prefix):
            prefix = prefix[:-1]
    return prefix


def region_indent(lines: list[str]) -> str:
    """The common indentation of a region: the longest whitespace prefix of its non-blank
    lines (the first line's alone would put back a region that ends shallower one level deep)."""
    return _common_prefix([_indent_of(line) for line in lines if not is_blank(line)])


def _newline_policy(rows: list[str]) -> str | None:
    endings = {"\r\n" if row.endswith("\r\n") else "\n" for row in rows if row.endswith("\n")}
    if len(endings) == 1:
        return endings.pop()
    return None if endings else "\n"


def mask_regions(
    path: str, text: str, regions: dict[int, tuple[int, int]], comment: str
) -> MaskedFile:
    """Replace each region `index -> (start, end)` by one marker line.

    Raises ValueError (naming `path`) when regions overlap or fall outside the file, or when
    `end` is before `start - 1`."""
    rows = split_lines(text)
    trimmed: dict[int, tuple[int, int]] = {}
    for index, (start, end) in regions.items():
        if start < 1 or end < start - 1:
            raise ValueError(f"{path}: region {index} has start {start} and end {end}")
        if end > len(rows) or start > len(rows) + 1:
            raise ValueError(f"{path}: region {index} ends at line {end}, file has {len(rows)}")
        if end < start and start > len(rows) and rows and not rows[-1].endswith("\n"):
            raise ValueError(f"{path}: region {index} adds lines after the last line, which has "
                             "no line break")
        while start <= end and is_blank(rows[start - 1]):
            start += 1
        while end >= start and is_blank(rows[end - 1]):
            end -= 1
        trimmed[index] = (start, end)
    for (_, (start, end)), (_, (other_start, other_end)) in itertools.permutations(
        regions.items(), 2
    ):
        inside = start < other_start <= end if other_end < other_start else (
            other_start <= end and start <= other_end and start <= other_start)
        if end >= start and inside:
            raise ValueError(f"{path}: masked regions overlap at line {other_start}")
    indents: dict[int, str] = {}
    first_indents: dict[int, str] = {}
    originals: dict[int, str] = {}
    markers: dict[int, str] = {}
    newlines: dict[int, str | None] = {}
    # bottom up, so earlier line numbers stay valid; at one line, the region before the
    # zero-line insertion that precedes it
    bottom_up = sorted(trimmed.items(), key=lambda item: (-item[1][0], item[1][1] < item[1][0],
                                                          -item[0]))
    for index, (start, end) in bottom_up:
        chunk = rows[start - 1 : end]
        if chunk:
            indent = region_indent(chunk)
            first_indents[index] = _indent_of(chunk[0])
            newlines[index] = _newline_policy(chunk)
            ending = chunk[-1][len(chunk[-1].rstrip("\r\n")):]
        else:
            following = [row for row in rows[start - 1 :] if not is_blank(row)]
            preceding = [row for row in rows[: start - 1] if not is_blank(row)]
            near = following[:1] or preceding[-1:]
            indent = _indent_of(near[0]) if near else ""
            first_indents[index] = indent
            neighbour = rows[start - 2 : start - 1] or rows[start - 1 : start]
            newlines[index] = _newline_policy(neighbour)
            ending = "\r\n" if newlines[index] == "\r\n" else "\n"
        indents[index] = indent
        originals[index] = "".join(chunk)
        markers[index] = marker_line(index, indent, comment)
        rows[start - 1 : end] = [markers[index] + ending]
    return MaskedFile(path, "".join(rows), indents, originals, markers,
                      first_indents=first_indents, newlines=newlines, lines=trimmed)


def reindent(code: str, indent: str) -> str:
    """Strip the answer's common indentation and give every line the region's indentation.

    Blank lines at either end are dropped; a whitespace-only line keeps its whitespace (it may
    sit inside a string literal), and so does a line ending in "\\r"."""
    lines = code.split("\n")
    while lines and is_blank(lines[0]):
        lines.pop(0)
    while lines and is_blank(lines[-1]):
        lines.pop()
    common = _common_prefix([_indent_of(line) for line in lines if not is_blank(line)])
    out = []
    for line in lines:
        rest = line[len(common) :]
        out.append(indent + rest if line.startswith(common) and rest else line)
    return "\n".join(out)


def reindent_flush_first(code: str, indent: str, first_indent: str | None = None) -> str | None:
    """The reading of an answer whose first line lost its indentation but whose other lines kept
    the file's absolute indentation (a copy starting mid-line): the first line gets
    `first_indent` (the region's first line's, default `indent`). None when that reading is
    moot."""
    lines = code.strip("\n").split("\n")
    rest = [line for line in lines[1:] if not is_blank(line)]
    first = indent if first_indent is None else first_indent
    if not first or len(lines) < 2 or _indent_of(lines[0]) or not rest:
        return None
    if not all(line.startswith(indent) for line in rest):
        return None
    return "\n".join([first + lines[0], *lines[1:]])


@dataclass(frozen=True)
class Insertion:
    """A candidate file: the masked file with code in every marker's place.

    `spans[i]` holds the lines region i's code occupies; `spans["<i>.imports"]` and
    `spans["<i>.helpers"]` the lines of code the answer to region i added elsewhere (imports
    with the file's imports, helpers before the region's top-level definition)."""

    text: str
    spans: dict[SpanKey, Span]


@dataclass(frozen=True)
class Addition:
    """Code an answer adds outside its region (`kind`: "imports" or "helpers"): inserted
    before masked-file line `before`, followed by `blank_after` blank lines."""

    region: int
    kind: str
    before: int
    code: str
    blank_after: int = 0


def _with_ending(line: str, policy: str | None) -> str:
    if policy == "\r\n":
        return line if line.endswith("\r") else line + "\r"
    if policy == "\n":
        return line.removesuffix("\r")
    return line


def _rows_of(code: str, policy: str | None, ending: str) -> list[str]:
    """`code` as file rows: each line gets the region's line ending; the last gets `ending`."""
    if not code:
        return []
    lines = code.split("\n")
    rows = [_with_ending(line, policy) + "\n" for line in lines[:-1]]
    last = lines[-1]
    if ending == "":
        rows.append(last.removesuffix("\r"))
    else:
        rows.append(_with_ending(last, "\r\n" if ending == "\r\n" else policy) + "\n")
    return rows


def insert_code(
    masked: MaskedFile, code: dict[int, str], additions: tuple[Addition, ...] = ()
) -> Insertion:
    """Put already-indented `code[index]` in place of each marker, and each addition before its
    line; record the lines every piece occupies. Raises ValueError when a marker is missing."""
    rows = split_lines(masked.text)
    before: dict[int, list[Addition]] = {}
    for addition in additions:
        before.setdefault(addition.before, []).append(addition)
    out: list[str] = []
    spans: dict[SpanKey, Span] = {}
    for number, line in enumerate([*rows, ""], start=1):
        for addition in before.get(number, []):
            neighbour = rows[number - 1] if number <= len(rows) else rows[-1] if rows else "\n"
            policy = "\r\n" if neighbour.endswith("\r\n") else "\n"
            added = _rows_of(addition.code, policy, policy)
            spans[f"{addition.region}.{addition.kind}"] = Span(len(out) + 1, len(out) + len(added))
            out.extend(added)
            out.extend([policy] * addition.blank_after)
        if number > len(rows):
            break
        index = marker_index(line)
        if index is None or index not in masked.markers or line.rstrip("\r\n") != (
            masked.markers[index]
        ):
            out.append(line)
            continue
        ending = line[len(line.rstrip("\r\n")):]
        body = _rows_of(code.get(index, ""), masked.newlines.get(index, "\n"), ending)
        spans[index] = Span(len(out) + 1, len(out) + len(body))
        out.extend(body)
    missing = set(masked.markers) - {key for key in spans if isinstance(key, int)}
    if missing:
        raise ValueError(f"{masked.path}: marker line(s) {sorted(missing)} not found")
    return Insertion("".join(out), spans)
