"""Text edits over a file and the line spans (masked regions) they move.

An `Edit` replaces bytes `start:end` of the UTF-8 encoded file; a `Span` is a 1-based,
inclusive line range (`end == start - 1` for a zero-line insertion point), as in
`schema.Location`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Edit:
    """Replace bytes `start:end` (UTF-8 offsets) with `text`."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Span:
    """Lines `start`..`end` of a file (1-based, inclusive; `end == start - 1`: a point)."""

    start: int
    end: int

    def overlaps_lines(self, first: int, last: int) -> bool:
        """Whether lines `first`..`last` (1-based, inclusive) touch this span (a point counts
        as touching the lines on both sides of it)."""
        if self.end < self.start:  # an insertion point between start - 1 and start
            return first < self.start <= last or first <= self.start - 1 < last
        return first <= self.end and self.start <= last

    def shifted(self, lines: int) -> Span:
        return Span(self.start + lines, self.end + lines)


def apply_edits(text: str, edits: list[Edit]) -> str:
    """`text` with every edit applied; raises ValueError when two edits overlap."""
    data = text.encode("utf-8")
    out: list[bytes] = []
    position = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if edit.start < position:
            raise ValueError(f"overlapping edits at byte {edit.start}")
        out.append(data[position:edit.start])
        out.append(edit.text.encode("utf-8"))
        position = edit.end
    out.append(data[position:])
    return b"".join(out).decode("utf-8")


def line_of_byte(text: str, offset: int) -> int:
    """The 1-based line holding byte `offset` of `text` (UTF-8)."""
    return text.encode("utf-8")[:offset].count(b"\n") + 1
