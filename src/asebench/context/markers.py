"""Finding the marker lines that stand for hidden regions in a masked file."""

from __future__ import annotations

import re

DEFAULT_MARKER_PATTERN = r"(?i)(<|\[|\{\{)\s*mask(ed)?\b"
"""Matches `<MASKED>`, `[MASKED]`, `<mask>`, `{{MASKED}}`, `<MASKED REGION 1>` and the like."""


def marker_lines(text: str, pattern: str = DEFAULT_MARKER_PATTERN) -> list[int]:
    """The 0-based numbers of the lines of `text` that hold a marker."""
    compiled = re.compile(pattern)
    return [number for number, line in enumerate(text.split("\n")) if compiled.search(line)]
