"""One `pids` cgroup per sandbox, where the host offers one to root (cgroup v1 `pids`).

RLIMIT_NPROC counts every process of a uid, and every sandbox runs as `nobody`: a fork bomb in
one sandbox would make forks fail in the others. A cgroup of its own caps each sandbox alone,
and lists every process it started, so all of them are killed when it ends. Without one (not
root, or no `pids` hierarchy) the sandbox keeps RLIMIT_NPROC as its only cap.
"""

from __future__ import annotations

import os
import signal
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

PIDS_ROOT = Path("/sys/fs/cgroup/pids")
PARENT = "asebench"
JOIN_SCRIPT = 'echo $$ > "$0" && exec "$@"'
KILL_ROUNDS = 200


def cgroups_available() -> bool:
    return os.geteuid() == 0 and (PIDS_ROOT / "cgroup.procs").is_file()


@contextmanager
def pids_cgroup(max_processes: int) -> Iterator[Path | None]:
    """A fresh cgroup capped at `max_processes` tasks (None when unavailable); on exit every
    process still in it is killed and the cgroup removed."""
    if not cgroups_available():
        yield None
        return
    group = PIDS_ROOT / PARENT / uuid.uuid4().hex
    try:
        group.mkdir(parents=True)
        (group / "pids.max").write_text(str(max_processes))
    except OSError:
        if group.is_dir():
            group.rmdir()
        yield None
        return
    try:
        yield group
    finally:
        _kill_all(group)


def join_argv(group: Path | None, argv: Sequence[str]) -> list[str]:
    """`argv`, started inside `group` (a shell joins it, then execs the command)."""
    if group is None:
        return list(argv)
    return ["/bin/sh", "-c", JOIN_SCRIPT, str(group / "cgroup.procs"), *argv]


def _kill_all(group: Path) -> None:
    for _ in range(KILL_ROUNDS):
        pids = [int(p) for p in (group / "cgroup.procs").read_text().split()]
        if not pids:
            break
        for pid in pids:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.005)
    with suppress(OSError):  # a process that outlived every round keeps it; runs use new ones
        group.rmdir()
