"""The BM25 query for a masked region, built from the masked file text alone.

Only what the model is also shown goes in: the lines around each marker (weighted twice), the
headers of the definitions that enclose it (the function signature, the class), a wider window
and the file's imports. Hidden code and fixes are never an input.
"""

from __future__ import annotations

import re

from asebench.context.markers import marker_lines
from asebench.context.terms import code_terms

NEAR_LINES = 8
WIDE_LINES = 40
NEAR_WEIGHT = 2
UNMARKED_LINES = 400
"""Without any marker the query is the file's first `UNMARKED_LINES` lines."""

_IMPORT = re.compile(
    r"^\s*(import\b|from\s+\S+\s+import\b|#\s*include\b|use\s|require(_once)?\b|"
    r"include(_once)?\b|package\b)|\brequire\s*\("
)


def query_terms(masked_files: dict[str, str], marker_pattern: str) -> list[str]:
    """BM25 terms for all masked files, with repeats as weights."""
    terms: list[str] = []
    for text in masked_files.values():
        terms.extend(_file_query_terms(text, marker_pattern))
    return terms


def _file_query_terms(text: str, marker_pattern: str) -> list[str]:
    lines = text.split("\n")
    markers = marker_lines(text, marker_pattern)
    if not markers:
        return code_terms("\n".join(lines[:UNMARKED_LINES]))
    hidden = set(markers)
    near: set[int] = set()
    wide: set[int] = set()
    for marker in markers:
        near.update(range(marker - NEAR_LINES, marker + NEAR_LINES + 1))
        wide.update(range(marker - WIDE_LINES, marker + WIDE_LINES + 1))
        near.update(enclosing_headers(lines, marker))
    wide.update(import_lines(lines))

    def joined(rows: set[int]) -> str:
        return "\n".join(lines[r] for r in sorted(rows) if 0 <= r < len(lines) and r not in hidden)

    return code_terms(joined(near)) * NEAR_WEIGHT + code_terms(joined(wide - near))


def enclosing_headers(lines: list[str], row: int) -> list[int]:
    """Rows above `row` that open the blocks enclosing it, judged by indentation."""
    headers: list[int] = []
    indent = _indent(lines[row]) if lines[row].strip() else 1 << 30
    for above in range(row - 1, -1, -1):
        line = lines[above]
        if not line.strip():
            continue
        level = _indent(line)
        if level < indent:
            headers.append(above)
            indent = level
            if level == 0:
                break
    return headers


def import_lines(lines: list[str]) -> list[int]:
    """Rows that import or include other code (Go's `import ( … )` blocks included)."""
    rows: list[int] = []
    in_block = False
    for row, line in enumerate(lines):
        stripped = line.strip()
        if in_block:
            rows.append(row)
            in_block = stripped != ")"
        elif stripped.startswith("import ("):
            rows.append(row)
            in_block = True
        elif _IMPORT.search(line):
            rows.append(row)
    return rows


def _indent(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())
