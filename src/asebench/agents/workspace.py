"""The agent's workspace: the masked project put in place, and what the agent changed in it.

The sandbox's `/workspace` starts as a copy of the instance's source tree; the masked file(s)
are written over their originals, so the agent sees exactly what a plain model is shown (the
marker lines in place). When the agent is done, every file that differs from that starting
point is a change: added, modified or deleted, with a unified diff for text (byte-code caches
the interpreter writes, `__pycache__`, are not edits and are left out).
"""

from __future__ import annotations

import difflib
import filecmp
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from inspect_ai.util import SandboxEnvironment

from asebench.code.regions import Span
from asebench.code.task import MaskedTask

MAX_DIFF_CHARS = 200_000
"""A diff longer than this is cut (with a note): a log must stay readable."""


async def place_masked_files(box: SandboxEnvironment, task: MaskedTask) -> None:
    """Write each masked file of `task` into the sandbox workspace, over the original."""
    for masked in task.files:
        await box.write_file(masked.path, masked.text)


@dataclass(frozen=True)
class FileChange:
    """One file the agent added, modified or deleted (`path` relative to the project root).
    `text` is the file's new content (None when deleted or not UTF-8); `diff` a unified diff
    from the starting point (cut at `MAX_DIFF_CHARS`; a note for binary files); `added` the
    lines of `text` the agent wrote (1-based spans)."""

    path: str
    kind: Literal["added", "modified", "deleted"]
    diff: str
    text: str | None
    added: tuple[Span, ...] = ()


BYTECODE_DIRS = frozenset({"__pycache__"})
"""Caches the interpreter writes when the agent runs code: not edits, never compared."""


def _files(root: Path) -> dict[str, Path]:
    out = {}
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = [name for name in subdirs if name not in BYTECODE_DIRS]
        for name in files:
            path = Path(directory, name)
            if not path.is_symlink():
                out[path.relative_to(root).as_posix()] = path
    return out


def _text(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _diff(path: str, before: bytes | None, after: bytes | None) -> str:
    old = _text(before) if before is not None else ""
    new = _text(after) if after is not None else ""
    if old is None or new is None:
        return f"Binary file {path} changed\n"
    text = "".join(difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True),
        fromfile=f"a/{path}" if before is not None else "/dev/null",
        tofile=f"b/{path}" if after is not None else "/dev/null"))
    if len(text) > MAX_DIFF_CHARS:
        text = text[:MAX_DIFF_CHARS] + f"\n[diff cut at {MAX_DIFF_CHARS} characters]\n"
    return text


def workspace_changes(base: Path | None, workspace: Path, task: MaskedTask) -> list[FileChange]:
    """Every file of `workspace` that differs from the starting point: the tree `base` (None:
    an empty tree) with the masked files of `task` written in. Sorted by path."""
    masked = {m.path: m.text.encode("utf-8") for m in task.files}
    before = _files(base) if base is not None else {}
    after = _files(workspace)
    changes = []
    for path in sorted(set(before) | set(after) | set(masked)):
        start = masked.get(path)
        if start is None and path in before:
            start = before[path].read_bytes() if path not in after or not filecmp.cmp(
                before[path], after[path], shallow=False) else None
            if start is None:
                continue  # unchanged
        now = after[path].read_bytes() if path in after else None
        if start == now:
            continue
        kind: Literal["added", "modified", "deleted"] = (
            "deleted" if now is None else "added" if start is None else "modified")
        text = _text(now) if now is not None else None
        changes.append(FileChange(path, kind, _diff(path, start, now), text,
                                  _added(_text(start) if start is not None else "", text)))
    return changes


def _added(before: str | None, after: str | None) -> tuple[Span, ...]:
    """The lines of `after` that are not `before`'s (inserted or replaced), as spans."""
    if after is None:
        return ()
    if before is None:  # a binary file became text: all of it is new
        before = ""
    matcher = difflib.SequenceMatcher(None, before.split("\n"), after.split("\n"),
                                      autojunk=False)
    return tuple(Span(j1 + 1, j2) for tag, _i1, _i2, j1, j2 in matcher.get_opcodes()
                 if tag in ("insert", "replace") and j2 > j1)
