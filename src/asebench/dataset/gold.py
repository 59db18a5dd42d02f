"""Derive a gold fix from the fixed version of a file (the fix commit of an A.S.E entry).

The region `start..end` of the vulnerable file is carried over to the fixed file through the
lines the two versions share: the gold is what the fixed file holds between the last unchanged
line before the region and the first unchanged line after it. That is only sound when every
changed hunk lies inside the region or outside it: a hunk that crosses the region's start or end
would leave half of the change in the masked file (the gold then does not fit in place), so
`derive_gold` refuses it with `GoldCrossesRegion`; `sources.fix_commit` then widens the region
to the enclosing syntax node or rejects the instance.

Lines are split on "\\n" only (never `str.splitlines`, which also breaks on form feeds and
other separators), and are numbered from 1 as in `schema.Location`.
"""

from __future__ import annotations

import difflib
import textwrap
from dataclasses import dataclass


def split_lines(text: str) -> list[str]:
    """The lines of `text`, each with its "\\n" (the last one may lack it); "\\n" only."""
    pieces = text.split("\n")
    lines = [piece + "\n" for piece in pieces[:-1]]
    if pieces[-1]:
        lines.append(pieces[-1])
    return lines


def line_count(text: str) -> int:
    """How many lines `text` has, counted on "\\n" only (a last line without "\\n" counts)."""
    return len(split_lines(text))


@dataclass(frozen=True)
class Hunk:
    """A change between the two versions: vulnerable lines `start..end` (1-based, inclusive;
    `end == start - 1` for a pure insertion before line `start`)."""

    start: int
    end: int


class GoldCrossesRegion(ValueError):
    """A fix hunk reaches both inside and outside the region, so no gold fits the region."""

    def __init__(self, start: int, end: int, hunks: list[Hunk]) -> None:
        self.start = start
        self.end = end
        self.hunks = hunks
        edges = []
        for hunk in hunks:
            edge = "start" if hunk.start < start else "end"
            if hunk.start < start and hunk.end > end:
                edge = "start and end"
            edges.append(f"the fix hunk at lines {hunk.start}-{hunk.end} crosses the region's "
                         f"{edge}")
        super().__init__(f"{'; '.join(edges)} (region {start}-{end})")


def changed_hunks(vulnerable: str, fixed: str) -> list[Hunk]:
    """Every hunk where the fixed file differs from the vulnerable one, in vulnerable lines."""
    matcher = difflib.SequenceMatcher(
        None, split_lines(vulnerable), split_lines(fixed), autojunk=False)
    return [Hunk(i1 + 1, i2) for tag, i1, i2, _, _ in matcher.get_opcodes() if tag != "equal"]


def crossing_hunks(vulnerable: str, fixed: str, start: int, end: int) -> list[Hunk]:
    """The hunks that change lines both inside `start..end` and outside it."""
    return [
        hunk for hunk in changed_hunks(vulnerable, fixed)
        if hunk.end >= hunk.start and hunk.start <= end and hunk.end >= start
        and (hunk.start < start or hunk.end > end)
    ]


def derive_gold(vulnerable: str, fixed: str, start: int, end: int) -> str:
    """The fixed file's counterpart of lines `start`..`end` (1-based, inclusive).

    Raises `GoldCrossesRegion` when a changed hunk crosses the region's start or end.
    """
    crossing = crossing_hunks(vulnerable, fixed, start, end)
    if crossing:
        raise GoldCrossesRegion(start, end, crossing)
    old = split_lines(vulnerable)
    new = split_lines(fixed)
    mapping: dict[int, int] = {}
    for block in difflib.SequenceMatcher(None, old, new, autojunk=False).get_matching_blocks():
        for offset in range(block.size):
            mapping[block.a + offset] = block.b + offset
    before = max((i for i in mapping if i < start - 1), default=None)
    after = min((i for i in mapping if i > end - 1), default=None)
    first = mapping[before] + 1 if before is not None else 0
    last = mapping[after] if after is not None else len(new)
    return "".join(new[first:last])


def region_text(text: str, start: int, end: int) -> str:
    """Lines `start`..`end` (1-based, inclusive) of `text`, split on "\\n" only."""
    return "".join(split_lines(text)[start - 1 : end])


def replace_region(text: str, start: int, end: int, code: str) -> str:
    """`text` with lines `start`..`end` replaced by `code` as it is (no re-indenting)."""
    lines = split_lines(text)
    if code and not code.endswith("\n") and end < len(lines):
        code += "\n"
    return "".join([*lines[: start - 1], code, *lines[end:]])


def same_code(gold: str, original: str) -> bool:
    """Whether a gold fix is the vulnerable code itself, i.e. the fix changes nothing in the
    region (common indentation, trailing spaces, line endings and blank lines at either end
    aside; a change of relative indentation counts as a change)."""
    def normal(code: str) -> list[str]:
        body = textwrap.dedent(code.replace("\r\n", "\n").strip("\n"))
        return [line.rstrip() for line in body.split("\n")]

    return normal(gold) == normal(original)
