"""Programs a judge builds in the candidate's sandbox from its own harness sources (judge side).

A PoC or test that questions compiled code (C, Java, Go) writes a small harness program, has
the candidate's sandbox build it against the candidate tree, runs it there and reads what it
printed: the candidate's code never runs on the judge's side. This module holds what the three
toolchains (`c`, `java`, `go` beside it) share: where the harness sources go, what a failed
build says, and what a run gives back. Standard library only.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from pathlib import Path

from . import judge
from .judge import Completed, Crash, Timeout

TAIL_CHARS = 300
"""How much of a failed command's stderr (its end) a message keeps, in characters."""


def plant(files: Sequence[Path]) -> Path:
    """Copy the judge's harness `files` (paths on the judge's side, e.g. the instance's
    `harness/Calls.java`) into a fresh directory of `candidate.given`, keeping their names:
    that directory's path, the same in both sandboxes (the candidate can read it, not change
    it). Raises `OSError` when a file cannot be read (an instance's own mistake)."""
    where = judge.candidate.given / secrets.token_hex(4)
    where.mkdir()
    for path in files:
        (where / path.name).write_bytes(path.read_bytes())
    return where


def private_path() -> str:
    """A fresh path in the candidate's private `/tmp` (nothing there yet)."""
    return f"/tmp/{secrets.token_hex(4)}"


def build_failure(tool: str, done: Completed | Crash | Timeout, *, label: str,
                  wanted: Callable[[str], bool]) -> Exception | None:
    """None when the build command `done` exited 0; else why the build failed, in one line:
    `RuntimeError("<tool>: <crash or timeout>")`, or `ValueError("<label>: <line>")` with the
    first line of its output (stderr, then stdout) that `wanted` picks, else the end of
    stderr."""
    if not isinstance(done, Completed):
        return RuntimeError(f"{tool}: {done}")
    if done.exit_code == 0:
        return None
    errors = [line for line in (done.stderr + "\n" + done.stdout).splitlines() if wanted(line)]
    first = errors[0] if errors else done.stderr[-200:]
    return ValueError(f"{label}: {first[:TAIL_CHARS]}")


def answered(done: Completed | Crash | Timeout, *, any_exit: bool = False,
             stderr_start: bool = False) -> Completed | Timeout | str:
    """What a harness run gave: `done` when it exited 0 (with `any_exit`, whatever its exit
    code); the `Timeout` itself when it did not finish (the finding of a PoC about endless
    loops); else why there is no answer, as one line: the crash, or `crashed (exit N): <end
    of stderr>` (its start with `stderr_start`: where a Go panic says what it was)."""
    if isinstance(done, Timeout):
        return done
    if isinstance(done, Crash):
        return str(done)
    if done.exit_code != 0 and not any_exit:
        stderr = done.stderr.strip()
        shown = stderr[:TAIL_CHARS] if stderr_start else stderr[-TAIL_CHARS:]
        return f"crashed (exit {done.exit_code}): {shown}"
    return done
