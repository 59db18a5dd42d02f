"""Read a model's answer: find the code for each masked region and put it in place.

Fenced blocks are preferred; a block labelled with a region's marker goes to that region; an
unlabelled answer is matched to regions by position; a block holding the surrounding code (the
model returned the whole function or file) is cut down to what sits between the marker's
neighbours. When several blocks could fill a region, the one that makes the file parse wins,
then the one fenced as the right language, then the later one. Nothing is repaired.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from asebench.code.regions import (
    Insertion,
    MaskedFile,
    insert_code,
    marker_index,
    reindent,
    reindent_flush_first,
)

_FENCE_RE = re.compile(r"^[ \t]*(```+|~~~+)[ \t]*([\w+#.-]*)[^\n]*$", re.MULTILINE)
_REGION_MENTION_RE = re.compile(r"region\s*#?\s*(\d+)", re.IGNORECASE)
_CODE_CHARS = set("(){}[];=<>$")


@dataclass(frozen=True)
class CodeBlock:
    """One piece of code in an answer, in order of appearance."""

    text: str
    tag: str
    position: int
    label: int | None = None


@dataclass(frozen=True)
class FittedAnswer:
    """The answer put in place: one insertion per file, or why that was impossible."""

    insertions: dict[str, Insertion]
    failure: str | None = None


def _label_from_prose(prose: str) -> int | None:
    lines = [line for line in prose.strip().splitlines() if line.strip()]
    if not lines:
        return None
    mention = _REGION_MENTION_RE.search(lines[-1])
    return int(mention.group(1)) if mention else None


def _split_on_markers(text: str, tag: str, position: int, label: int | None) -> list[CodeBlock]:
    """A block whose lines include marker comments holds one part per marked region."""
    parts: list[CodeBlock] = []
    current: list[str] = []
    current_label = label
    for line in text.split("\n"):
        index = marker_index(line)
        if index is not None:
            if any(x.strip() for x in current):
                parts.append(CodeBlock("\n".join(current), tag, position, current_label))
            current, current_label = [], index
            continue
        current.append(line)
    if any(x.strip() for x in current) or not parts:
        parts.append(CodeBlock("\n".join(current), tag, position, current_label))
    return parts


def extract_blocks(answer: str) -> list[CodeBlock]:
    """Every fenced block (an unterminated last fence runs to the end); the whole answer when
    there is none."""
    blocks: list[CodeBlock] = []
    fences = list(_FENCE_RE.finditer(answer))
    cursor = 0
    index = 0
    while index < len(fences):
        opening = fences[index]
        closing = next(
            (
                f
                for f in fences[index + 1 :]
                if f.group(1)[0] == opening.group(1)[0]
                and len(f.group(1)) >= len(opening.group(1))
                and not f.group(2)
            ),
            None,
        )
        body_end = closing.start() if closing else len(answer)
        body = answer[opening.end() + 1 : body_end] if opening.end() < len(answer) else ""
        label = _label_from_prose(answer[cursor : opening.start()])
        blocks.extend(_split_on_markers(body.rstrip("\n"), opening.group(2).lower(), len(blocks),
                                        label))
        if closing is None:
            break
        cursor = closing.end()
        index = fences.index(closing) + 1
    if not fences:
        blocks = _split_on_markers(answer.strip("\n"), "", 0, None)
    return [b for b in blocks if b.text.strip()]


def looks_like_prose(text: str) -> bool:
    """True for plain sentences: no line carries any of the punctuation code is made of."""
    lines = [line for line in text.splitlines() if line.strip()]
    return bool(lines) and not any(_CODE_CHARS & set(line) for line in lines)


def _neighbours(masked: MaskedFile, index: int) -> tuple[str | None, str | None]:
    lines = masked.text.split("\n")
    where = next(i for i, line in enumerate(lines) if line.rstrip("\r") == masked.markers[index])
    before = next((x.strip() for x in reversed(lines[:where]) if x.strip()), None)
    after = next((x.strip() for x in lines[where + 1 :] if x.strip()), None)
    return before, after


def _cut_between_neighbours(block: str, before: str | None, after: str | None) -> str | None:
    """The part of a whole-function/whole-file answer that sits where the marker was."""
    lines = block.split("\n")
    stripped = [line.strip() for line in lines]
    if before is None or before not in stripped:
        return None
    start = stripped.index(before) + 1
    end = len(lines)
    if after is not None and after in stripped[start:]:
        end = start + stripped[start:].index(after)
    elif after is not None:
        return None
    inner = "\n".join(lines[start:end])
    return inner if inner.strip() else None


def _without_php_tags(text: str) -> str | None:
    """A PHP snippet without the `<?php` / `?>` tags models like to wrap it in, if it has them
    (the region sits inside PHP code already, where an opening tag is a syntax error)."""
    stripped = text.strip()
    if not stripped.startswith("<?php"):
        return None
    inner = stripped.removeprefix("<?php")
    inner = inner.removesuffix("?>") if inner.rstrip().endswith("?>") else inner
    return inner.strip("\n") or None


ParseCheck = Callable[[str, str], bool]


def fit_answer(
    answer: str,
    files: list[MaskedFile],
    fence_tags: tuple[str, ...],
    parses: ParseCheck,
) -> FittedAnswer:
    """Choose the code for every region of `files` from `answer` and insert it.

    `parses(path, text)` tells whether a candidate file is syntactically valid.
    """
    if not answer.strip():
        return FittedAnswer({}, "empty answer")
    blocks = extract_blocks(answer)
    if not blocks:
        return FittedAnswer({}, "answer holds no code")
    regions = sorted((index, masked) for masked in files for index in masked.markers)
    fenced = bool(_FENCE_RE.search(answer))
    if not fenced and looks_like_prose(answer):
        return FittedAnswer({}, "answer is prose with no code")
    unlabelled = [b for b in blocks if b.label is None]
    chosen: dict[int, str] = {}
    for order, (index, masked) in enumerate(regions):
        labelled = [b for b in blocks if b.label == index]
        pool = labelled or unlabelled
        if not pool:
            return FittedAnswer({}, f"answer has no code for region {index}")
        before, after = _neighbours(masked, index)
        indent = masked.indents[index]
        candidates: list[tuple[tuple[int, int, int, int], str]] = []
        for block in pool:
            texts = [block.text]
            bare = _without_php_tags(block.text)
            if bare is not None:
                texts.append(bare)
            cut = _cut_between_neighbours(block.text, before, after)
            if cut is not None:
                texts.insert(0, cut)
            positional = int(not labelled and len(unlabelled) == len(regions)
                             and unlabelled.index(block) == order)
            tag_fits = int(block.tag in fence_tags or block.tag == "")
            for text in texts:
                for code in filter(None, (reindent(text, indent),
                                          reindent_flush_first(text, indent))):
                    trial = {i: m.originals[i].rstrip("\n") for i, m in regions if m is masked}
                    trial[index] = code
                    ok = parses(masked.path, insert_code(masked, trial).text)
                    candidates.append(((int(ok), positional, tag_fits, block.position), code))
        chosen[index] = max(candidates, key=lambda item: item[0])[1]
    insertions = {
        masked.path: insert_code(masked, {i: chosen[i] for i in masked.markers})
        for masked in files
    }
    return FittedAnswer(insertions)
