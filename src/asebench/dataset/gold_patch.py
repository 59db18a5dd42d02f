"""A gold written here as a change to the derived gold: a unified diff applied strictly.

When the upstream fix of an instance is incomplete (its PoC or variants show a bypass), the
instance's gold is the fix plus a few lines written here. The repository keeps only those
lines, as a unified diff (`locations[].gold_patch: gold/1.patch`) over the gold derived at
fetch time from the fix (`dataset/gold.py`), or over the vulnerable region when the source
names no fix. Line numbers in the hunk headers count lines of that gold text (line 1 is its
first line), on "\\n" only as everywhere else.

Application is strict: every hunk must match at the exact line its header names (no offset,
no fuzz); context, removed lines and "\\ No newline at end of file" markers included. A patch
that does not apply raises `GoldPatchError` with a one-line message naming the hunk and the
first line that differs.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from asebench.dataset.gold import split_lines

_HEADER = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
NO_NEWLINE = "\\ No newline at end of file"


class GoldPatchError(ValueError):
    """The patch is not a unified diff of one text, or does not apply to the gold strictly."""


@dataclass(frozen=True)
class PatchHunk:
    """One hunk: `old` lines (context and removed, each with its "\\n" unless the text ends
    without one) replaced by `new` lines, the old ones starting at line `old_start`
    (1-based; for a hunk that removes nothing, the line after which `new` goes, 0 = before
    the first). `header` is the "@@ … @@" line, for messages."""

    header: str
    old_start: int
    old: tuple[str, ...]
    new: tuple[str, ...]


def _quote(text: str) -> str:
    """`text` (one line of the patch) quoted for a one-line message, cut at 60 characters."""
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _short(line: str) -> str:
    """A line of a text (with its "\n") for a one-line message: quoted without the "\n",
    a missing one said."""
    quoted = _quote(line.removesuffix("\n"))
    return quoted if line.endswith("\n") else f"{quoted} (no newline at the end)"


def parse_gold_patch(text: str) -> list[PatchHunk]:
    """The hunks of a unified diff of one text (`---`/`+++` header lines optional, their
    names ignored), in order. Raises `GoldPatchError` on anything else: a second file, a
    line that is not context, removal, addition or a no-newline marker, counts that do not
    match the header, overlapping or unordered hunks, or no hunk at all."""
    hunks: list[PatchHunk] = []
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    index = 0
    seen_files = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("--- ") and index + 1 < len(lines) and lines[index + 1].startswith(
                "+++ "):
            seen_files += 1
            if seen_files > 1 or hunks:
                raise GoldPatchError(f"line {index + 1}: a second file header; a gold patch "
                                     "changes one text (the location's gold)")
            index += 2
            continue
        match = _HEADER.match(line)
        if match is None:
            raise GoldPatchError(f"line {index + 1}: expected a hunk header '@@ -a,b +c,d @@', "
                                 f"got {_quote(line)}")
        old_start = int(match.group(1))
        old_count = int(match.group(2)) if match.group(2) is not None else 1
        new_count = int(match.group(4)) if match.group(4) is not None else 1
        old: list[str] = []
        new: list[str] = []
        index += 1
        while index < len(lines) and (len(old) < old_count or len(new) < new_count
                                      or lines[index].startswith("\\")):
            body = lines[index]
            if body.startswith("\\"):
                if body != NO_NEWLINE or not (old or new):
                    raise GoldPatchError(f"line {index + 1}: unexpected {_quote(body)}")
                previous = lines[index - 1][:1]
                targets = (old, new) if previous in (" ", "") else (old,) if previous == "-" \
                    else (new,)
                for target in targets:
                    target[-1] = target[-1].removesuffix("\n")
            elif body[:1] in (" ", ""):  # an empty line is blank context (stripped space)
                old.append(body[1:] + "\n")
                new.append(body[1:] + "\n")
            elif body[:1] == "-":
                old.append(body[1:] + "\n")
            elif body[:1] == "+":
                new.append(body[1:] + "\n")
            else:
                raise GoldPatchError(f"line {index + 1}: not a context, '-' or '+' line: "
                                     f"{_quote(body)}")
            index += 1
        if (len(old), len(new)) != (old_count, new_count):
            raise GoldPatchError(f"{line}: the hunk has {len(old)} old and {len(new)} new "
                                 f"line(s), its header says {old_count} and {new_count}")
        start = old_start if old_count else old_start + 1  # first old line, 1-based
        if hunks:
            last = hunks[-1]
            last_end = (last.old_start if last.old else last.old_start + 1) + len(last.old)
            if start < last_end:
                raise GoldPatchError(f"{line}: overlaps or precedes the hunk before it")
        hunks.append(PatchHunk(line, old_start, tuple(old), tuple(new)))
    if not hunks:
        raise GoldPatchError("no hunk: a gold patch holds at least one '@@ … @@' hunk")
    return hunks


def apply_gold_patch(gold: str, patch: str) -> str:
    """`gold` changed by the unified diff `patch`, each hunk at exactly the line it names.
    Raises `GoldPatchError` (one line) when the patch does not parse or a hunk does not match
    the gold there."""
    lines = split_lines(gold)
    out: list[str] = []
    taken = 0  # lines of `gold` already copied or replaced
    for number, hunk in enumerate(parse_gold_patch(patch), start=1):
        first = hunk.old_start - 1 if hunk.old else hunk.old_start  # 0-based
        found = lines[first : first + len(hunk.old)]
        if first < taken or list(hunk.old) != found:
            where = next((i for i, (want, got) in enumerate(zip(hunk.old, found, strict=False))
                          if want != got), min(len(found), len(hunk.old)))
            line = first + where + 1
            got = _short(found[where]) if where < len(found) else "the end of the gold"
            want = _short(hunk.old[where]) if where < len(hunk.old) else "nothing"
            raise GoldPatchError(
                f"hunk {number} ({hunk.header}) does not apply: line {line} of the gold is "
                f"{got}, the patch expects {want}")
        out.extend(lines[taken:first])
        out.extend(hunk.new)
        taken = first + len(hunk.old)
    out.extend(lines[taken:])
    return "".join(out)


def make_gold_patch(base: str, gold: str, *, base_name: str = "derived",
                    gold_name: str = "gold", context: int = 3) -> str:
    """The unified diff that turns `base` into `gold` (what `apply_gold_patch` reads back),
    "\\ No newline at end of file" markers included. Empty when the two are equal."""
    old, new = split_lines(base), split_lines(gold)
    out: list[str] = []
    for group in difflib.SequenceMatcher(None, old, new, autojunk=False).get_grouped_opcodes(
            context):
        a1, a2, b1, b2 = group[0][1], group[-1][2], group[0][3], group[-1][4]
        out.append(f"@@ -{_range(a1, a2)} +{_range(b1, b2)} @@\n")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out.extend(_marked(" ", old[i1:i2]))
                continue
            out.extend(_marked("-", old[i1:i2]))
            out.extend(_marked("+", new[j1:j2]))
    if not out:
        return ""
    return f"--- {base_name}\n+++ {gold_name}\n" + "".join(out)


def _range(start: int, end: int) -> str:
    """A hunk header range of 0-based lines `start..end` (exclusive), as diff writes it."""
    count = end - start
    first = start + 1 if count else start
    return f"{first},{count}" if count != 1 else f"{first}"


def _marked(prefix: str, lines: list[str]) -> list[str]:
    marked = []
    for line in lines:
        if line.endswith("\n"):
            marked.append(prefix + line)
        else:
            marked.append(f"{prefix}{line}\n{NO_NEWLINE}\n")
    return marked
