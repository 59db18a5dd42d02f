"""Which process owns a resource (a workspace, a cgroup, a temporary file), and whether it lives.

A run that is killed cannot clean up after itself; the next run (or `asebench clean`) sweeps
what it left. To know what is left over rather than in use, every such resource names its
owner: the process id and the process's start time (clock ticks after boot, from
`/proc/PID/stat`), so a pid reused by a later process is not mistaken for the owner. The owner
is written as a tag, `o<pid>-<start>`, into a resource's name or into a marker file
(`.asebench-owner`) in a directory. A process whose pid is absent from this `/proc` counts as
gone: sweep only from the pid namespace the runs started in.

Standard library only, and cheap: the sandbox names a cgroup with it for every command.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

MARKER = ".asebench-owner"
TAG = re.compile(r"o(\d+)-(\d+)")
_current: dict[int, Owner] = {}


@dataclass(frozen=True)
class Owner:
    """A process: `pid` and `start`, its start time in clock ticks after boot."""

    pid: int
    start: int

    @classmethod
    def current(cls) -> Owner:
        """This process (looked up once per process; a forked child gets its own)."""
        pid = os.getpid()
        if pid not in _current:
            start = start_time(pid)
            assert start is not None, "this process has no /proc entry"
            _current[pid] = cls(pid, start)
        return _current[pid]

    @property
    def tag(self) -> str:
        """`o<pid>-<start>`: how the owner is written into a name or a marker."""
        return f"o{self.pid}-{self.start}"

    @classmethod
    def parse(cls, text: str) -> Owner | None:
        """The owner a name or marker text starts with (`o<pid>-<start>`), else None."""
        found = TAG.match(text)
        return cls(int(found[1]), int(found[2])) if found else None

    def alive(self) -> bool:
        """Whether this very process still runs (same pid and same start time)."""
        return start_time(self.pid) == self.start


def start_time(pid: int) -> int | None:
    """When process `pid` started (clock ticks after boot), or None when there is none."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            text = stat.read()
    except OSError:
        return None
    # the command name (field 2) may hold spaces and parentheses: split after its last ')'
    fields = text[text.rindex(b")") + 2:].split()
    return int(fields[19])  # field 22 of the whole line


def mark(directory: Path) -> None:
    """Record this process as the owner of `directory` (which must exist).

    Raises `OSError` when the marker cannot be written.
    """
    (directory / MARKER).write_text(Owner.current().tag + "\n", encoding="ascii")


def marked_owner(directory: Path) -> Owner | None:
    """The owner recorded in `directory`'s marker, or None (no marker, unreadable, garbled)."""
    try:
        text = (directory / MARKER).read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    return Owner.parse(text.strip())
