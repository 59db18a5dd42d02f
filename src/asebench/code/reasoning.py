"""Take a model's reasoning out of its answer: code inside reasoning is never graded.

Reasoning models write `<think>…</think>` (also `<thinking>`, `<reasoning>`, `<reflection>`)
before the answer. The markers come in every shape: complete; unterminated (the output was cut
while the model was still reasoning: there is no final answer); or only partly present (the
serving stack ate the opening tag, so the answer starts with reasoning and only a closing tag
appears). An opening tag counts at the start of a line only; a closing tag anywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TAGS = "think|thinking|reasoning|reflection"
_OPEN_RE = re.compile(rf"^[ \t]*<({_TAGS})(?:\s[^>\n]*)?>", re.IGNORECASE | re.MULTILINE)
_CLOSE_RE = re.compile(rf"</({_TAGS})\s*>", re.IGNORECASE)

UNFINISHED = "no final answer: reasoning did not finish"
ONLY_REASONING = "no final answer: the answer holds only reasoning"


@dataclass(frozen=True)
class FinalAnswer:
    """The answer with its reasoning taken out, or why there is no final answer."""

    text: str
    failure: str | None = None


def strip_reasoning(answer: str) -> FinalAnswer:
    """`answer` without its reasoning sections.

    A closing tag with no opening tag before it ends reasoning that began with the answer; an
    opening tag with no closing tag after it means the reasoning never finished (failure)."""
    text = answer
    had_reasoning = False
    while True:
        opening = _OPEN_RE.search(text)
        closing = _CLOSE_RE.search(text)
        if closing is not None and (opening is None or closing.start() < opening.start()):
            text = text[closing.end() :]
            had_reasoning = True
            continue
        if opening is None:
            break
        end = _CLOSE_RE.search(text, opening.end())
        if end is None:
            return FinalAnswer("", UNFINISHED)
        text = text[: opening.start()] + text[end.end() :]
        had_reasoning = True
    if had_reasoning and not text.strip():
        return FinalAnswer("", ONLY_REASONING)
    return FinalAnswer(text)
