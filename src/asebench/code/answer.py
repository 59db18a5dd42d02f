"""Read a model's answer: find the code for each masked region and put it in place.

Reasoning (`<think>…</think>` and its kin) is taken out first, and reasoning that never
finished is an answer failure. Fenced blocks are preferred; a block labelled with a region's
marker goes to that region; an unlabelled answer is matched to regions by position; a block
holding the surrounding code (the model returned the whole function or file) is cut down to
what sits between unique anchors around the marker, or refused when it cannot be placed.
Imports and helper definitions an answer brings go with the file's imports and before the
region's top-level definition. When several blocks could fill a region, the one that defines
more of what the region defines wins, then the one that makes the file parse, then an anchored
cut, then the block in its place, then the one fenced as the right language, then the later
one. Nothing is repaired.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from asebench.code.languages import language_of_path
from asebench.code.placement import Surroundings, place_by_anchor
from asebench.code.reasoning import strip_reasoning
from asebench.code.regions import (
    Addition,
    Insertion,
    MaskedFile,
    insert_code,
    marker_index,
    reindent,
    reindent_flush_first,
)
from asebench.code.structure import defined_names, file_imports, split_additions
from asebench.dataset.schema import Language

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
    lines = [line for line in prose.strip().split("\n") if line.strip()]
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
    # a block labelled with a marker and nothing after it says "nothing goes here"
    return [b for b in blocks if b.text.strip() or (b.label is not None and fences)]


def looks_like_prose(text: str) -> bool:
    """True for plain sentences: no line carries any of the punctuation code is made of."""
    lines = [line for line in text.split("\n") if line.strip()]
    return bool(lines) and not any(_CODE_CHARS & set(line) for line in lines)


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


@dataclass(frozen=True)
class _Reading:
    """One way to put a block in a region: the region's code and what goes elsewhere."""

    code: str
    additions: tuple[Addition, ...]
    rank: int  # 2: additions taken out, 1: as written, 0: first line flush


def _invalid_text(answer: str) -> str | None:
    try:
        answer.encode("utf-8")
    except UnicodeEncodeError as exc:
        return (f"answer is not valid UTF-8 text ({exc.reason} at character {exc.start}: "
                f"{answer[exc.start:exc.end]!r})")
    return None


def _readings(
    text: str, masked: MaskedFile, index: int, language: Language | None
) -> list[_Reading]:
    indent = masked.indents[index]
    if not text.strip():
        return [_Reading("", (), 1)]
    readings: list[_Reading] = []
    if language is not None:
        split = _split(text, masked, index, language)
        if split is not None:
            readings.append(split)
    readings.append(_Reading(reindent(text, indent), (), 1))
    flush = reindent_flush_first(text, indent, masked.first_indents.get(index))
    if flush is not None:
        readings.append(_Reading(flush, (), 0))
    return [r for r in readings if r.code.strip()]


def _split(text: str, masked: MaskedFile, index: int, language: Language) -> _Reading | None:
    """The reading with the answer's imports and helpers taken out of the region."""
    if masked.import_line is None and masked.helper_lines.get(index) is None:
        return None
    language = language_of_path(masked.path, language)
    imports, names = _file_facts(language, masked.text, masked.path)
    parts = split_additions(
        language, reindent(text, ""), masked.defines.get(index, frozenset()), imports, names,
        move_helpers=masked.helper_lines.get(index) is not None, path=masked.path,
    )
    if parts.rest == reindent(text, "") or (parts.imports and masked.import_line is None):
        return None
    additions: list[Addition] = []
    if parts.imports and masked.import_line is not None:
        additions.append(Addition(index, "imports", masked.import_line, "\n".join(parts.imports)))
    helper_line = masked.helper_lines.get(index)
    if parts.helpers and helper_line is not None:
        gap = 2 if language is Language.PYTHON else 1
        additions.append(Addition(index, "helpers", helper_line,
                                  ("\n" * (gap + 1)).join(parts.helpers), blank_after=gap))
    return _Reading(reindent(parts.rest, masked.indents[index]), tuple(additions), 2)


@lru_cache(maxsize=16)
def _file_facts(
    language: Language, text: str, path: str
) -> tuple[frozenset[str], frozenset[str]]:
    """A masked file's import statements and the names its top level defines."""
    names = defined_names(language, text, 1, text.count("\n") + 1, path)
    return file_imports(language, text, path), names


def fit_answer(
    answer: str,
    files: list[MaskedFile],
    fence_tags: tuple[str, ...],
    parses: ParseCheck,
    *,
    language: Language | None = None,
) -> FittedAnswer:
    """Choose the code for every region of `files` from `answer` and insert it.

    `parses(path, text)` tells whether a candidate file is syntactically valid. With
    `language` (the instance's; a file's extension may name another) the names a block
    defines are compared with those of the region, and imports and helpers the answer brings
    are moved to their place. Every way an answer can be unusable is a `failure` with its
    reason, never an exception."""
    invalid = _invalid_text(answer)
    if invalid is not None:
        return FittedAnswer({}, invalid)
    if not answer.strip():
        return FittedAnswer({}, "empty answer")
    final = strip_reasoning(answer)
    if final.failure is not None:
        return FittedAnswer({}, final.failure)
    answer = final.text
    blocks = extract_blocks(answer)
    if not blocks:
        return FittedAnswer({}, "answer holds no code")
    regions = sorted((index, masked) for masked in files for index in masked.markers)
    fenced = bool(_FENCE_RE.search(answer))
    if not fenced and looks_like_prose(answer):
        return FittedAnswer({}, "answer is prose with no code")
    unlabelled = [b for b in blocks if b.label is None]
    chosen: dict[int, _Reading] = {}
    for order, (index, masked) in enumerate(regions):
        labelled = [b for b in blocks if b.label == index and b.text.strip()]
        # a marker with nothing after it says "nothing goes here" only when no other code does
        said_empty = [b for b in blocks if b.label == index and not b.text.strip()]
        pool = labelled or unlabelled or said_empty
        if not pool:
            return FittedAnswer({}, f"answer has no code for region {index}")
        around = Surroundings.of(masked.text, masked.markers[index])
        wanted = masked.defines.get(index, frozenset())
        file_language = language_of_path(masked.path, language) if language else None
        candidates: list[tuple[tuple[int, ...], _Reading]] = []
        refusals: list[str] = []
        for block in pool:
            texts: list[tuple[str, bool]] = []
            placed = place_by_anchor(block.text, around, index)
            if placed.refusal is not None:
                refusals.append(placed.refusal)
                continue
            if placed.code is not None:
                texts.append((placed.code, True))
            texts.append((block.text, False))
            bare = _without_php_tags(block.text)
            if bare is not None:
                texts.append((bare, False))
            positional = int(not labelled and len(unlabelled) == len(regions)
                             and unlabelled.index(block) == order)
            tag_fits = int(block.tag in fence_tags or block.tag == "")
            for text, anchored in texts:
                for reading in _readings(text, masked, index, language):
                    trial = {i: reindent(m.originals[i], m.indents[i])
                             for i, m in regions if m is masked}
                    trial[index] = reading.code
                    inserted = insert_code(masked, trial, reading.additions)
                    ok = parses(masked.path, inserted.text)
                    span = inserted.spans[index]
                    names = (defined_names(file_language, inserted.text, span.start, span.end,
                                           masked.path)
                             if file_language is not None and wanted else frozenset())
                    key = (len(names & wanted), int(ok), int(anchored), positional, tag_fits,
                           block.position, reading.rank)
                    candidates.append((key, reading))
        if not candidates:
            return FittedAnswer({}, refusals[0] if refusals
                                else f"answer has no code for region {index}")
        chosen[index] = max(candidates, key=lambda item: item[0])[1]
    insertions = {
        masked.path: insert_code(
            masked,
            {i: chosen[i].code for i in masked.markers},
            tuple(a for i in sorted(masked.markers) for a in chosen[i].additions),
        )
        for masked in files
    }
    return FittedAnswer(insertions)
