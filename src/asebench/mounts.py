"""mount(2) plumbing: overlay and tmpfs mounts, unmounting, and what is mounted where.

Only the standard library (ctypes on the C library), so the sandbox's quota layer can use it
from a lean interpreter. Mounting needs CAP_SYS_ADMIN: root, or root of a user namespace of
one's own. Overlays mounted here are also recorded, so those still mounted when the process
exits are detached then (`unmount_all`).
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import errno
import functools
import os
import threading
from collections.abc import Sequence
from pathlib import Path

MNT_DETACH = 2
MS_PRIVATE = 1 << 18
NOT_MOUNTED = (errno.EINVAL, errno.ENOENT)
UNSAFE_IN_MOUNT_OPTIONS = (",", ":", "\\", "\n")
"""Characters that would change the meaning of a path inside overlay's option string."""

_mounted: set[str] = set()
_mounted_lock = threading.Lock()


@functools.cache
def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _mount(source: str, target: Path | str, fstype: str, options: str) -> None:
    """mount(2); `OSError` with the errno and `target` when it fails."""
    if _libc().mount(source.encode(), os.fsencode(target), fstype.encode(), 0, options.encode()):
        code = ctypes.get_errno()
        raise OSError(code, f"{fstype} mount failed: {os.strerror(code)}", str(target))


def mount_overlay(
    lower: Sequence[Path | str],
    upper: Path,
    work: Path,
    target: Path,
    *,
    options: Sequence[str] = (),
) -> None:
    """Mount an overlay at `target`: `lower` layers (leftmost on top) under the writable `upper`.

    Every write lands in `upper` (`work` is overlay's scratch space on the same filesystem).
    The mount is made private: namespaces cloned from ours (every sandbox's) keep their copy
    instead of having it vanish under them when we unmount it while they are being built.
    `options` are extra overlay options (e.g. `redirect_dir=off`). Raises `OSError` when the
    kernel refuses (no privilege, an unsupported layer, a path with `UNSAFE_IN_MOUNT_OPTIONS`).
    """
    layers = ":".join(map(str, lower))
    text = ",".join([f"lowerdir={layers}", f"upperdir={upper}", f"workdir={work}", *options])
    with _mounted_lock:
        _mount("overlay", target, "overlay", text)
        _mounted.add(os.path.abspath(target))
        _libc().mount(None, os.fsencode(target), None, MS_PRIVATE, None)


def mount_tmpfs(target: Path, *, size_bytes: int, inodes: int, mode: int = 0o700) -> None:
    """Mount a tmpfs of at most `size_bytes` and `inodes` files at `target`.

    Writes past either bound fail with ENOSPC. Its pages are memory (unswappable here), so the
    size is also what it may cost in RAM. Raises `OSError` when the kernel refuses.
    """
    _mount("tmpfs", target, "tmpfs", f"size={size_bytes},nr_inodes={inodes},mode={mode:o}")


def unmount(target: Path | str) -> None:
    """Unmount `target`, detaching it lazily if busy; a path that is no mount is left alone.

    Raises `OSError` only when even the lazy detach fails (e.g. without the privilege).
    """
    with _mounted_lock:
        _mounted.discard(os.path.abspath(target))
        path = os.fsencode(target)
        if _libc().umount2(path, 0) == 0:
            return
        if ctypes.get_errno() in NOT_MOUNTED:
            return
        if _libc().umount2(path, MNT_DETACH) != 0 and ctypes.get_errno() not in NOT_MOUNTED:
            code = ctypes.get_errno()
            raise OSError(code, f"cannot unmount: {os.strerror(code)}", str(target))


@atexit.register
def unmount_all() -> None:
    """The safety net: detach every overlay this process mounted and did not unmount."""
    for target in sorted(_mounted, reverse=True):
        with contextlib.suppress(OSError):
            unmount(target)


def mount_points_under(path: Path) -> list[str]:
    """Mount points at or below `path` (this process's view), deepest first; a point where
    several mounts are stacked appears once per mount."""
    import re  # here, not at the top: the quota helper imports this module and starts often

    root = os.path.realpath(path)
    points = []
    with open("/proc/self/mountinfo", encoding="utf-8", errors="surrogateescape") as mounts:
        for line in mounts:
            point = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m[1], 8)), line.split()[4])
            if point == root or point.startswith(root.rstrip("/") + "/"):
                points.append(point)
    return sorted(points, reverse=True)


def overlay_mounts() -> list[tuple[str, str]]:
    """Every overlay mounted in this process's view, as (mount point, upper directory);
    the upper directory is "" for a read-only overlay (no upper layer)."""
    import re  # here, not at the top: the quota helper imports this module and starts often

    def unescape(text: str) -> str:
        return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m[1], 8)), text)

    found = []
    with open("/proc/self/mountinfo", encoding="utf-8", errors="surrogateescape") as mounts:
        for line in mounts:
            before, _, after = line.partition(" - ")
            fields = after.split()
            if len(fields) < 3 or fields[0] != "overlay":
                continue
            options = dict(option.partition("=")[::2] for option in fields[2].split(","))
            found.append((unescape(before.split()[4]), unescape(options.get("upperdir", ""))))
    return found


@functools.cache
def overlay_supported() -> bool:
    """Whether this process may mount overlays: root, and a trial mount works (probed once)."""
    import tempfile  # here, not at the top: the quota helper imports this module

    if os.geteuid() != 0:
        return False
    with tempfile.TemporaryDirectory(prefix="asebench-overlay-probe-") as probe:
        top, bottom, upper, work, merged = (Path(probe, name) for name in "tbuwm")
        for path in (top, bottom, upper, work, merged):
            path.mkdir()
        try:
            mount_overlay([top, bottom], upper, work, merged)
        except OSError:
            return False
        unmount(merged)
    return True
