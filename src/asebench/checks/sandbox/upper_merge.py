"""Write what a command changed through an overlay (its upper directory) into the real tree.

Overlayfs records changes in its upper directory: new and copied-up files and directories as
themselves, a deleted name as a whiteout (a 0/0 character device, or a file carrying an
`overlay.whiteout` xattr), a directory that replaced the lower one as "opaque" (an
`overlay.opaque` xattr, `trusted.` as root, `user.` in a user namespace). Applying them gives the
tree the command left behind. The overlay must be mounted with `redirect_dir=nofollow` (or
`off`) and `metacopy=off`, so that every changed file in the upper directory is complete.

Only the standard library: this runs in the sandbox's quota helper.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

XATTR_NAMESPACES = ("trusted.", "user.")
COPY_CHUNK = 1 << 20


def apply_upper(upper: Path, target: Path) -> None:
    """Make `target` look as the overlay (`target` below, `upper` above) looked.

    Files are replaced by new inodes (never written in place, so a hard link into a read-only
    cache stays untouched) with their owner, mode and times; nothing is followed through a
    symlink in `target`. Raises `OSError` when `target` cannot be changed.
    """
    _apply_directory(upper, target)
    os.chmod(target, stat.S_IMODE(os.stat(upper).st_mode))


def _xattr(path: str, name: str) -> bytes | None:
    for namespace in XATTR_NAMESPACES:
        try:
            return os.getxattr(path, f"{namespace}overlay.{name}", follow_symlinks=False)
        except OSError:
            continue
    return None


def _is_whiteout(path: str, info: os.stat_result) -> bool:
    if stat.S_ISCHR(info.st_mode) and info.st_rdev == 0:
        return True
    return stat.S_ISREG(info.st_mode) and info.st_size == 0 and _xattr(path, "whiteout") is not None


def _remove(path: str) -> None:
    """Delete whatever is at `path` (a symlink itself, never what it points to)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISDIR(info.st_mode):
        for directory, dirnames, _files in os.walk(path):
            os.chmod(directory, 0o700)
            for name in dirnames:
                inner = os.path.join(directory, name)
                if not os.path.islink(inner):
                    os.chmod(inner, 0o700)
        shutil.rmtree(path)
    else:
        os.unlink(path)


def _same_attributes(source: os.stat_result, path: str) -> None:
    os.chown(path, source.st_uid, source.st_gid, follow_symlinks=False)
    if not stat.S_ISLNK(source.st_mode):
        os.chmod(path, stat.S_IMODE(source.st_mode))
    os.utime(path, ns=(source.st_atime_ns, source.st_mtime_ns), follow_symlinks=False)


def _apply_directory(upper: Path, target: Path) -> None:
    """Apply one upper directory to `target`, a real directory (checked by the caller)."""
    with os.scandir(upper) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            source = entry.path
            destination = os.path.join(target, entry.name)
            info = entry.stat(follow_symlinks=False)
            if _is_whiteout(source, info):
                _remove(destination)
            elif stat.S_ISDIR(info.st_mode):
                existing = os.path.lexists(destination)
                opaque = _xattr(source, "opaque") == b"y"
                if existing and (opaque or not os.path.isdir(destination)
                                 or os.path.islink(destination)):
                    _remove(destination)
                    existing = False
                if not existing:
                    os.mkdir(destination, 0o700)
                _apply_directory(Path(source), Path(destination))
                _same_attributes(info, destination)
            elif stat.S_ISLNK(info.st_mode):
                _remove(destination)
                os.symlink(os.readlink(source), destination)
                _same_attributes(info, destination)
            elif stat.S_ISREG(info.st_mode):
                _remove(destination)
                _copy_file(source, destination)
                _same_attributes(info, destination)
            elif stat.S_ISFIFO(info.st_mode):
                _remove(destination)
                os.mkfifo(destination, 0o600)
                _same_attributes(info, destination)
            # sockets and device nodes made in the sandbox do not outlive it


def _copy_file(source: str, destination: str) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
    with open(source, "rb") as reader, open(os.open(destination, flags, 0o600), "wb") as writer:
        shutil.copyfileobj(reader, writer, COPY_CHUNK)
