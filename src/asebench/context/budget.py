"""Filling a token budget with ranked snippets, never going over it."""

from __future__ import annotations

from collections.abc import Iterable

from asebench.context.model import Context, Snippet
from asebench.context.tokens import count_tokens

MIN_TRUNCATED_LINES = 3
"""A snippet that does not fit is cut to its first lines only if at least this many fit."""

SEPARATOR_TOKENS = 1
"""`Context.render()` joins blocks with one line break, which the estimate counts as a token.

The estimate never joins pieces across a line break, so the rendered total is exactly the sum of
the blocks' estimates plus one per separator: snippets are counted once each, not re-rendered.
"""


def fill_budget(candidates: Iterable[Snippet], budget_tokens: int) -> Context:
    """Take snippets in the given order while the rendered context stays within the budget.

    A snippet overlapping one already taken (same file, shared lines) is skipped. The first one
    that does not fit whole is cut to the longest prefix of lines that fits, and filling stops
    there; if too little of it fits, it is skipped and smaller ones after it may still fit.
    """
    chosen: list[Snippet] = []
    used = 0
    for snippet in candidates:
        if any(_overlaps(snippet, taken) for taken in chosen):
            continue
        room = budget_tokens - used - (SEPARATOR_TOKENS if chosen else 0)
        cost = count_tokens(snippet.render())
        if cost <= room:
            chosen.append(snippet)
            used = budget_tokens - room + cost
            continue
        cut = _longest_fitting_prefix(snippet, room)
        if cut is not None:
            chosen.append(cut)
            used = budget_tokens - room + count_tokens(cut.render())
            break
    return Context(snippets=chosen, tokens=used)


def _longest_fitting_prefix(snippet: Snippet, room: int) -> Snippet | None:
    lines = snippet.text.split("\n")
    low, high = 0, len(lines) - 1  # the answer is in [low, high]; 0 means nothing fits
    while low < high:
        middle = (low + high + 1) // 2
        if count_tokens(_prefix(snippet, lines, middle).render()) <= room:
            low = middle
        else:
            high = middle - 1
    if low < MIN_TRUNCATED_LINES:
        return None
    return _prefix(snippet, lines, low)


def _prefix(snippet: Snippet, lines: list[str], count: int) -> Snippet:
    return snippet.model_copy(
        update={"text": "\n".join(lines[:count]), "end_line": snippet.start_line + count - 1}
    )


def _overlaps(a: Snippet, b: Snippet) -> bool:
    return a.path == b.path and a.start_line <= b.end_line and b.start_line <= a.end_line
