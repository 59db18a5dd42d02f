"""Place a whole-function or whole-file answer: keep only what sits where the marker was.

The answer is cut by anchors that are unique in the masked file: the few lines right before
the marker (grown until the sequence occurs once in the file, at most `MAX_ANCHOR` lines) and
the lines right after it. Lines are compared stripped, blank lines ignored. A block that repeats
most of the file but holds no unique anchor is refused with a reason rather than guessed at.
"""

from __future__ import annotations

from dataclasses import dataclass

from asebench.code.regions import is_blank

MAX_ANCHOR = 8


@dataclass(frozen=True)
class Surroundings:
    """The masked file around one marker: non-blank lines, stripped."""

    before: list[str]
    after: list[str]
    everything: list[str]

    @classmethod
    def of(cls, text: str, marker: str) -> Surroundings:
        lines = text.split("\n")
        where = next(i for i, line in enumerate(lines) if line.rstrip("\r") == marker)
        key = [line.strip() for line in lines]
        return cls(
            [k for k in key[:where] if k],
            [k for k in key[where + 1 :] if k],
            [k for k in key if k],
        )


def _count(needle: list[str], hay: list[str]) -> int:
    size = len(needle)
    return sum(1 for i in range(len(hay) - size + 1) if hay[i : i + size] == needle)


def _unique_length(lines: list[str], hay: list[str], *, from_end: bool) -> int | None:
    """The fewest lines (taken from the end or the start of `lines`) that occur once in `hay`."""
    for size in range(1, min(MAX_ANCHOR, len(lines)) + 1):
        part = lines[-size:] if from_end else lines[:size]
        if _count(part, hay) == 1:
            return size
    return None


@dataclass(frozen=True)
class Placement:
    """The part of a block that goes in the region (None: no anchor placed it), and, for a
    block that repeats most of the file but could not be placed, why it was refused."""

    code: str | None
    refusal: str | None = None


def place_by_anchor(block: str, around: Surroundings, index: int) -> Placement:
    """Cut `block` down to the lines between a unique anchor before the marker and the file's
    continuation after it."""
    lines = block.split("\n")
    kept = [(row, line.strip()) for row, line in enumerate(lines) if not is_blank(line)]
    keys = [key for _, key in kept]
    start = 0
    anchored = False
    size = _unique_length(around.before, around.everything, from_end=True)
    if size is not None:
        anchor = around.before[-size:]
        hits = [i for i in range(len(keys) - size + 1) if keys[i : i + size] == anchor]
        if len(hits) == 1:
            start, anchored = hits[0] + size, True
    end = len(keys)
    for p in range(start, len(keys) + 1):
        tail = keys[p:]
        if tail == around.after[: len(tail)]:
            end = p
            break
    matched = len(keys) - end
    after_size = _unique_length(around.after, around.everything, from_end=False)
    if not anchored and (after_size is None or matched < after_size):
        return Placement(None, _refusal(keys, around, index))
    first_row = kept[start - 1][0] + 1 if start > 0 else 0
    last_row = kept[end][0] if end < len(kept) else len(lines)
    inner = "\n".join(lines[first_row:last_row])
    return Placement(inner if inner.strip() else None)


def _refusal(keys: list[str], around: Surroundings, index: int) -> str | None:
    """A reason when `keys` repeats most of the file (a whole-file answer), else None."""
    known = set(around.everything)
    repeated = sum(1 for key in keys if key in known)
    if repeated < 4 or repeated * 2 < len(around.everything):
        return None
    return (f"the answer for region {index} repeats the whole file, and the lines around the "
            "marker are not unique in the file or not in the answer: its place is ambiguous")
