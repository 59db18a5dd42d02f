"""One cgroup per sandbox: all of its processes together are capped in tasks, memory and CPU.

Rlimits bound each process alone: three children of 1.5 GiB each all ran at once under a
2 GiB RLIMIT_DATA, and RLIMIT_NPROC counts every process of a uid, so a fork bomb in one
sandbox (all run as `nobody`) made forks fail in the others. A cgroup of its own caps the
sandbox as a whole, and lists every process it started, so all of them die when it ends.

Where: as root, under `asebench/` at the root of each hierarchy that has the controller
(cgroup v1: `/sys/fs/cgroup/{pids,memory,cpu}`; cgroup v2: the unified mount), so that any
later run finds what a killed one left (`leftover_groups`), and a leftover never blocks the
removal of the cgroup of whoever started us. A group's name starts with its owner's tag
(`asebench.owner`). Each controller that cannot be used (not root, not mounted, refused)
is left out, and the sandbox keeps its rlimits for it: `SandboxCgroup.controllers` says
what applied, and a log line says once per process what could not be contained.

Out of memory: cgroup v2 kills the whole group (`memory.oom.group`). cgroup v1 has no such
switch: the kernel's OOM killer is turned off for the group (`memory.oom_control`) and a
watcher thread, woken by the kernel's OOM notification, kills every process in it. Either
way the sandbox ends killed and `SandboxCgroup.out_of_memory` is true.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import select
import signal
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from asebench.checks.sandbox.limits import MIB, Limits
from asebench.owner import Owner

PARENT = "asebench"
CONTROLLERS = ("pids", "memory", "cpu")
JOIN_NAME = "asebench-join"
JOIN_SCRIPT = 'while [ "$1" != -- ]; do echo $$ > "$1" || exit 1; shift; done; shift; exec "$@"'
KILL_ROUNDS = 200
CPU_PERIOD_US = 100_000
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Hierarchy:
    """Where a controller is mounted: `root` of a cgroup `version` 1 or 2 hierarchy."""

    root: Path
    version: int


@functools.cache
def hierarchies() -> dict[str, Hierarchy]:
    """Controller name -> its hierarchy, for the `CONTROLLERS` this process may use.

    Empty when not root. cgroup v1 mounts win over the unified (v2) one, as the kernel binds
    each controller to one hierarchy only. Read once per process from `/proc/self/mountinfo`.
    """
    if os.geteuid() != 0:
        return {}
    found: dict[str, Hierarchy] = {}
    unified: Path | None = None
    with open("/proc/self/mountinfo", encoding="utf-8", errors="surrogateescape") as mounts:
        for line in mounts:
            before, _, after = line.partition(" - ")
            fstype, _source, options = [*after.split(), "", "", ""][:3]
            point = Path(_unescape(before.split()[4]))
            if fstype == "cgroup":
                for name in options.split(","):
                    if name in CONTROLLERS:
                        found.setdefault(name, Hierarchy(point, 1))
            elif fstype == "cgroup2" and unified is None:
                unified = point
    if unified is not None:
        with contextlib.suppress(OSError):
            for name in (unified / "cgroup.controllers").read_text().split():
                if name in CONTROLLERS and name not in found:
                    found[name] = Hierarchy(unified, 2)
    return {name: where for name, where in found.items()
            if os.access(where.root / "cgroup.procs", os.W_OK)}


def parents() -> list[Path]:
    """The `asebench/` directory of every hierarchy in use (existing or not)."""
    return sorted({where.root / PARENT for where in hierarchies().values()})


@dataclass
class SandboxCgroup:
    """The cgroup directories of one sandbox, by controller (one directory for all in v2)."""

    directories: dict[str, Path] = field(default_factory=dict)
    _watch: _OomWatch | None = None

    @property
    def controllers(self) -> tuple[str, ...]:
        """The controllers that contain this sandbox, in `CONTROLLERS` order."""
        return tuple(name for name in CONTROLLERS if name in self.directories)

    def unique_directories(self) -> list[Path]:
        return sorted(set(self.directories.values()))

    def out_of_memory(self) -> bool:
        """Whether the sandbox hit its memory limit and was killed for it."""
        if self._watch is not None and self._watch.fired:
            return True
        directory = self.directories.get("memory")
        if directory is None:
            return False
        name = "memory.events" if hierarchies()["memory"].version == 2 else "memory.oom_control"
        counts = _counters(directory / name)
        return counts.get("oom_kill", 0) > 0 or counts.get("oom_group_kill", 0) > 0


@contextlib.contextmanager
def sandbox_cgroup(limits: Limits) -> Iterator[SandboxCgroup]:
    """A fresh cgroup capped by `limits` (processes, memory, and `cpus` when set); on exit
    every process still in it is killed and it is removed. Controllers that cannot be used
    are left out (never an error): see `SandboxCgroup.controllers`."""
    group = SandboxCgroup()
    name = f"{Owner.current().tag}-{uuid.uuid4().hex[:12]}"
    wanted = {"pids": True, "memory": True, "cpu": limits.cpus is not None}
    missing = []
    try:
        for controller, where in hierarchies().items():
            if not wanted[controller]:
                continue
            try:
                directory = _create(where, name)
                group.directories[controller] = directory
                _apply(controller, where.version, directory, limits)
            except OSError as exc:
                refused = group.directories.pop(controller, None)
                if refused is not None and refused not in group.directories.values():
                    kill_and_remove(refused)
                missing.append(f"{controller} ({exc.strerror or exc})")
        if "memory" in group.directories and hierarchies()["memory"].version == 1:
            group._watch = _OomWatch.start(group.directories["memory"])
        missing += [kind for kind in CONTROLLERS if wanted[kind] and kind not in hierarchies()]
        _note_missing(tuple(missing))
        yield group
    finally:
        if group._watch is not None:
            group._watch.close()
        for directory in group.unique_directories():
            kill_and_remove(directory)


def join_argv(group: SandboxCgroup, argv: Sequence[str], *, outer: bool) -> list[str]:
    """`argv`, started inside part of `group` (a shell joins it, then execs the command).

    Two steps, so that what wraps the sandbox (the workspace quota's helper) counts as one of
    its tasks and dies with it when a sweep kills the group, yet outlives an out-of-memory
    kill to write the workspace back: `outer` joins the pids group (in cgroup v2, the one
    group of all controllers); not `outer` joins the others (cgroup v1 memory and cpu).
    When the shell cannot join, it exits 1 with one line on stderr starting
    `asebench-join: `.
    """
    first = group.directories.get("pids") or next(iter(group.directories.values()), None)
    if outer:
        chosen = [first] if first is not None else []
    else:
        chosen = [path for path in group.unique_directories() if path != first]
    if not chosen:
        return list(argv)
    procs = [str(directory / "cgroup.procs") for directory in chosen]
    return ["/bin/sh", "-c", JOIN_SCRIPT, JOIN_NAME, *procs, "--", *argv]


def kill_and_remove(directory: Path) -> bool:
    """Kill every process in the cgroup `directory`, then remove it; False when it stays
    (a process outlived every round, or it has child groups)."""
    kill_tasks(directory)
    try:
        directory.rmdir()
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return True


def kill_tasks(directory: Path) -> None:
    """SIGKILL the processes of a cgroup until none is left (forks may race the first round)."""
    for _ in range(KILL_ROUNDS):
        try:
            pids = [int(pid) for pid in (directory / "cgroup.procs").read_text().split()]
        except OSError:
            return
        if not pids:
            return
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.005)


def _create(where: Hierarchy, name: str) -> Path:
    parent = where.root / PARENT
    if where.version == 2:
        return _create_v2(where.root, parent, name)
    directory = parent / name
    directory.mkdir(parents=True, exist_ok=True)  # v2 shares one directory by all
    return directory


def _create_v2(root: Path, parent: Path, name: str) -> Path:
    """In v2 a child gets a controller only when its parent delegates it (subtree_control)."""
    directory = parent / name
    if directory.is_dir():
        return directory
    parent.mkdir(exist_ok=True)
    unified = [controller for controller, where in hierarchies().items() if where.version == 2]
    for level in (root, parent):
        delegated = (level / "cgroup.subtree_control").read_text().split()
        if any(controller not in delegated for controller in unified):
            (level / "cgroup.subtree_control").write_text(
                " ".join(f"+{controller}" for controller in unified))
    directory.mkdir()
    return directory


def _apply(controller: str, version: int, directory: Path, limits: Limits) -> None:
    """Write `controller`'s limits into the group."""
    if controller == "pids":
        (directory / "pids.max").write_text(str(limits.processes))
    elif controller == "memory" and version == 1:
        size = str(limits.memory_mb * MIB)
        (directory / "memory.limit_in_bytes").write_text(size)
        if (directory / "memory.memsw.limit_in_bytes").exists():  # no swapping past it either
            (directory / "memory.memsw.limit_in_bytes").write_text(size)
    elif controller == "memory":
        (directory / "memory.max").write_text(str(limits.memory_mb * MIB))
        if (directory / "memory.swap.max").exists():
            (directory / "memory.swap.max").write_text("0")
        (directory / "memory.oom.group").write_text("1")
    elif controller == "cpu" and limits.cpus is not None:
        quota = max(int(limits.cpus * CPU_PERIOD_US), 1000)
        if version == 1:
            (directory / "cpu.cfs_period_us").write_text(str(CPU_PERIOD_US))
            (directory / "cpu.cfs_quota_us").write_text(str(quota))
        else:
            (directory / "cpu.max").write_text(f"{quota} {CPU_PERIOD_US}")


class _OomWatch:
    """cgroup v1: on the kernel's OOM notification for the group, kill all of it."""

    def __init__(self, directory: Path, event: int, stop: int) -> None:
        self.directory, self.event, self.stop = directory, event, stop
        self.fired = False
        self.thread = threading.Thread(target=self._watch, name="asebench-oom", daemon=True)

    @classmethod
    def start(cls, directory: Path) -> _OomWatch | None:
        """Watch `directory`, with the kernel's own OOM killer off; None (kernel's killer on,
        `oom_kill` counted) when the notification cannot be registered."""
        event = os.eventfd(0, os.EFD_CLOEXEC)
        try:
            control = os.open(directory / "memory.oom_control", os.O_RDONLY | os.O_CLOEXEC)
            try:
                (directory / "cgroup.event_control").write_text(f"{event} {control}")
            finally:
                os.close(control)
            (directory / "memory.oom_control").write_text("1")  # tasks wait instead of dying
        except OSError:
            os.close(event)
            return None
        watch = cls(directory, event, os.eventfd(0, os.EFD_CLOEXEC))
        watch.thread.start()
        return watch

    def _watch(self) -> None:
        ready, _, _ = select.select([self.event, self.stop], [], [])
        if self.stop not in ready:
            self.fired = True
            kill_tasks(self.directory)

    def close(self) -> None:
        os.eventfd_write(self.stop, 1)
        self.thread.join()
        os.close(self.event)
        os.close(self.stop)


def _counters(path: Path) -> dict[str, int]:
    """`name value` lines (memory.events, memory.oom_control) as a dict; {} when unreadable."""
    try:
        lines = path.read_text().splitlines()
    except OSError:
        return {}
    pairs = (line.split() for line in lines)
    return {pair[0]: int(pair[1]) for pair in pairs if len(pair) == 2 and pair[1].isdigit()}


@functools.cache
def _note_missing(missing: tuple[str, ...]) -> None:
    """Say once per process (and per kind of gap) what a sandbox could not contain."""
    if missing:
        log.warning("asebench sandbox: no cgroup for %s here; those stay per-process rlimits "
                    "(memory: RLIMIT_DATA; processes: RLIMIT_NPROC, shared by all sandboxes)",
                    ", ".join(missing))


def _unescape(text: str) -> str:
    """mountinfo escapes spaces and the like as backslash + three octal digits."""
    out, index = [], 0
    while index < len(text):
        if text[index] == "\\" and text[index + 1:index + 4].isdigit():
            out.append(chr(int(text[index + 1:index + 4], 8)))
            index += 4
        else:
            out.append(text[index])
            index += 1
    return "".join(out)
