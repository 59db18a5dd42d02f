"""The names a masked file refers to, weighted by how close to a marker they are used."""

from __future__ import annotations

import re

from asebench.context.chunking import chunk_file
from asebench.context.markers import marker_lines
from asebench.context.query import NEAR_LINES, WIDE_LINES, enclosing_headers
from asebench.context.terms import KEYWORDS

NEAR_WEIGHT = 3.0
WIDE_WEIGHT = 2.0
FAR_WEIGHT = 1.0

_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")


def referenced_names(path: str, text: str, marker_pattern: str) -> dict[str, float]:
    """Identifiers `text` uses but does not define, each with its best weight.

    A name used within `NEAR_LINES` of a marker, or in a header enclosing one, weighs
    `NEAR_WEIGHT`; within `WIDE_LINES`, `WIDE_WEIGHT`; elsewhere `FAR_WEIGHT`. Marker lines and
    keywords are ignored, as are names the file defines itself (its chunks' definitions).
    """
    lines = text.split("\n")
    markers = marker_lines(text, marker_pattern)
    hidden = set(markers)
    near: set[int] = set()
    wide: set[int] = set()
    for marker in markers:
        near.update(range(marker - NEAR_LINES, marker + NEAR_LINES + 1))
        near.update(enclosing_headers(lines, marker))
        wide.update(range(marker - WIDE_LINES, marker + WIDE_LINES + 1))
    local = {name for chunk in chunk_file(path, text) for name in chunk.defines}
    weights: dict[str, float] = {}
    for row, line in enumerate(lines):
        if row in hidden:
            continue
        weight = NEAR_WEIGHT if row in near else WIDE_WEIGHT if row in wide else FAR_WEIGHT
        for name in _IDENTIFIER.findall(line):
            if len(name) < 2 or name in local or name.lower() in KEYWORDS:
                continue
            weights[name] = max(weights.get(name, 0.0), weight)
    return weights
