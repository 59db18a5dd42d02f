"""Sweep what killed runs left behind: sandbox cgroups, overlay mounts, workspaces, temp files.

A run killed with SIGKILL (or a crashed machine) cannot clean up: its sandboxes' cgroups
(with any process still running in them), the overlay mounts of its workspaces, the
workspaces themselves and the sandbox's temporary files stay. Each of those names the
process that made it (`asebench.owner`): a cgroup's name and a temporary file's name start
with the owner's tag, a workspace directory holds a marker file. `sweep` removes what
belongs to a process that is gone, and never touches what belongs to a live one or what
names no owner (a directory another tool or an older asebench made). `asebench run` sweeps
before it starts; `asebench clean` sweeps on demand.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from asebench.checks.sandbox import cgroup
from asebench.mounts import mount_points_under, overlay_mounts, unmount
from asebench.owner import MARKER, Owner, marked_owner, start_time
from asebench.sources.tree import remove_tree

PREFIX = "asebench-"
OWNER_NAMED = re.compile(r"asebench-(?:quota)-(o\d+-\d+)-")
"""Temporary files and directories whose name carries their owner's tag after the kind."""
QUOTA_SCRATCH = re.compile(r"asebench-quota-(\d+)-\d+")
"""The quota helper's (empty on the host) mount point: named by the helper's pid."""
MARKER_DEPTH = 4
"""How far above an overlay's upper directory a workspace's marker may be (dir/overlay/k/upper)."""


@dataclass
class SweepReport:
    """What a sweep removed, what it left because its owner lives, and what it could not
    remove (each a line naming the thing)."""

    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def sweep(temp_root: Path | None = None) -> SweepReport:
    """Remove every sandbox cgroup, overlay mount, workspace and temporary file of asebench
    whose owner process is gone; `temp_root` is where temporary directories are made
    (default: `tempfile.gettempdir()`). Never raises for one thing it cannot remove: that
    is a line in `failed`."""
    report = SweepReport()
    _sweep_cgroups(report)
    _sweep_overlays(report)
    _sweep_temporary(Path(temp_root or tempfile.gettempdir()), report)
    return report


def _gone(owner: Owner, what: str, report: SweepReport) -> bool:
    """Whether `owner` is gone; a live one's `what` is noted as kept."""
    if owner.alive():
        report.kept.append(f"{what} (process {owner.pid} runs)")
        return False
    return True


def _sweep_cgroups(report: SweepReport) -> None:
    for parent in cgroup.parents():
        try:
            children = sorted(path for path in parent.iterdir() if path.is_dir())
        except OSError:
            continue
        for group in children:
            owner = Owner.parse(group.name)
            if owner is None or not _gone(owner, f"cgroup {group}", report):
                continue
            done = cgroup.kill_and_remove(group)
            (report.removed if done else report.failed).append(f"cgroup {group}")


def _sweep_overlays(report: SweepReport) -> None:
    """Overlays whose upper layer lies in a workspace of a gone owner, wherever mounted."""
    for point, upper in overlay_mounts():
        owner = _workspace_owner(Path(upper)) if upper else None
        if owner is None or not _gone(owner, f"overlay mount {point}", report):
            continue
        try:
            unmount(point)
            report.removed.append(f"overlay mount {point}")
        except OSError as exc:
            report.failed.append(f"overlay mount {point}: {exc.strerror}")


def _workspace_owner(upper: Path) -> Owner | None:
    for directory in list(upper.parents)[:MARKER_DEPTH]:
        if (directory / MARKER).is_file():
            return marked_owner(directory)
    return None


def _sweep_temporary(root: Path, report: SweepReport) -> None:
    try:
        entries = sorted(path for path in root.iterdir() if path.name.startswith(PREFIX))
    except OSError:
        return
    for path in entries:
        if path.is_symlink():
            continue
        if path.is_dir():
            _sweep_directory(path, report)
            continue
        named = OWNER_NAMED.match(path.name)
        owner = Owner.parse(named[1]) if named else None
        if owner is not None and _gone(owner, f"file {path}", report):
            try:
                path.unlink()
                report.removed.append(f"file {path}")
            except OSError as exc:
                report.failed.append(f"file {path}: {exc.strerror}")


def _sweep_directory(path: Path, report: SweepReport) -> None:
    named = OWNER_NAMED.match(path.name)
    owner = marked_owner(path) or (Owner.parse(named[1]) if named else None)
    if owner is None:
        scratch = QUOTA_SCRATCH.fullmatch(path.name)
        if scratch and start_time(int(scratch[1])) is None:
            try:  # never recursive: it is an empty mount point on the host
                path.rmdir()
                report.removed.append(f"directory {path}")
            except OSError as exc:
                report.failed.append(f"directory {path}: {exc.strerror}")
        return
    if not _gone(owner, f"workspace {path}", report):
        return
    try:
        for point in mount_points_under(path):
            unmount(point)
        if mount_points_under(path):  # never delete through a mount
            raise OSError(0, "still mounted")
        remove_tree(path)
    except OSError as exc:
        report.failed.append(f"workspace {path}: {exc.strerror or exc}")
        return
    report.removed.append(f"workspace {path}")


def lines(report: SweepReport) -> list[str]:
    """The report as lines for a terminal."""
    out = [f"removed {item}" for item in report.removed]
    out += [f"could not remove {item}" for item in report.failed]
    out.append(f"{len(report.removed)} removed, {len(report.kept)} kept (their process runs), "
               f"{len(report.failed)} could not be removed")
    return out


def containment_line() -> str:
    """Which cgroup controllers sandboxes get on this machine (what is not, stays rlimits)."""
    found = cgroup.hierarchies()
    have = ", ".join(f"{name} (cgroup v{where.version}"
                     + (", when a cpu limit is set)" if name == "cpu" else ")")
                     for name, where in sorted(found.items()))
    lacking = [name for name in cgroup.CONTROLLERS if name not in found]
    text = f"sandbox cgroups: {have or 'none'}"
    if lacking:
        text += f"; per-process rlimits only for: {', '.join(lacking)}"
    if os.geteuid() != 0:
        text += " (not root)"
    return text
