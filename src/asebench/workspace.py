"""One sample's tree: the read-only cached source plus the files the sample changed.

Changed files live under `directory/changed/<relpath>`; static checks read them in place
(`path`, `changed`), and only checks that run code ask for a full tree (`materialise`). As
root, where the kernel allows it, that tree is an overlay mount stacking the changed files on
the cache (copy-on-write into `directory/overlay/`); otherwise it is a farm of hard links to
the cache. This module is the model (which file a sample sees, where its changes live, how the
tree is laid out); the mount(2) calls themselves are in `asebench.mounts`. The directory
records its owning process (`asebench.owner`), so that what a killed run left is swept later
(`asebench.sweep`).
"""

from __future__ import annotations

import errno
import functools
import hashlib
import os
import shutil
import stat
import tempfile
from pathlib import Path, PurePosixPath
from types import TracebackType

from asebench.cache import cache_dir
from asebench.mounts import (
    UNSAFE_IN_MOUNT_OPTIONS,
    mount_overlay,
    mount_points_under,
    overlay_supported,
    unmount,
)
from asebench.owner import mark
from asebench.sources.tree import remove_tree

__all__ = ["Workspace", "overlay_supported"]

CHANGED_DIR = "changed"
TREE_DIR = "tree"
OVERLAY_DIR = "overlay"
SKELETONS = "skeletons"
OPEN_DIRECTORY_MODE = 0o777
CHANGED_FILE_MODE = 0o666
CHANGED_EXECUTABLE_MODE = 0o777


@functools.lru_cache(maxsize=32)
def _listing(base: Path) -> tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[str, str], ...]]:
    """(directories, files, links as (path, target)) of an immutable cached base, relative."""
    directories: list[str] = []
    files: list[str] = []
    links: list[tuple[str, str]] = []
    pending = [""]
    while pending:
        relative = pending.pop()
        with os.scandir(os.path.join(base, relative)) as entries:
            for entry in entries:
                path = f"{relative}/{entry.name}" if relative else entry.name
                if entry.is_symlink():
                    links.append((path, os.readlink(entry.path)))
                elif entry.is_dir():
                    directories.append(path)
                    pending.append(path)
                else:
                    files.append(path)
    directories.sort()
    return tuple(directories), tuple(files), tuple(links)


def _checked(relpath: str) -> str:
    path = PurePosixPath(relpath)
    if not relpath or path.is_absolute() or ".." in path.parts or "\\" in relpath:
        raise ValueError(f"must be a relative path inside the tree, got {relpath!r}")
    return str(path)


class Workspace:
    """A cached read-only `base` tree plus the files changed for one sample, in `directory`.

    Why: many samples of one project share one cached source, so a sample costs only the files
    it changed (and, for checks that run code, a cheap tree built from both). `relpath`
    arguments are POSIX paths relative to the project root; one that is empty, absolute, has
    `..` or a backslash raises `ValueError`. Used as a context manager, it unmounts its overlay
    trees on exit (`remove` deletes them).
    """

    def __init__(self, base: Path, directory: Path) -> None:
        self.base = base
        self.directory = directory
        self.changes = directory / CHANGED_DIR
        self._mounts: set[Path] = set()
        self._claimed = False

    def __enter__(self) -> Workspace:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.unmount()

    def write(self, relpath: str, text: str) -> Path:
        """Record the new content of `relpath` (the base is never touched); returns its path.

        Raises `ValueError` for a bad `relpath`, `UnicodeEncodeError` for text that is not
        valid Unicode (a lone surrogate), `OSError` when the file cannot be written.
        """
        target = self.changes / _checked(relpath)
        self._claim()
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="")
        return target

    def path(self, relpath: str) -> Path:
        """The file to read for `relpath`: the changed version if any, else the base file
        (which may not exist). Raises `ValueError` for a bad `relpath`."""
        relpath = _checked(relpath)
        changed = self.changes / relpath
        return changed if changed.is_file() else self.base / relpath

    def read(self, relpath: str) -> str:
        """The text of `relpath` as this sample sees it, line endings untouched.

        Raises `ValueError` for a bad `relpath`, `FileNotFoundError` when neither the sample
        nor the base has it, `UnicodeDecodeError` when it is not UTF-8.
        """
        with open(self.path(relpath), encoding="utf-8", newline="") as stream:
            return stream.read()

    def changed(self) -> dict[str, Path]:
        """Every changed file: relative path (POSIX) -> where its new content is."""
        if not self.changes.is_dir():
            return {}
        return {
            path.relative_to(self.changes).as_posix(): path
            for path in sorted(self.changes.rglob("*"))
            if path.is_file()
        }

    def materialise(
        self, target: Path | None = None, *, hardlink: bool = True, overlay: bool | None = None
    ) -> Path:
        """Build the full tree at `target` (default `directory/tree`), fresh, and return it.

        Every directory is open to every user (mode 0777: a sandboxed `nobody` may create and
        delete files), base files keep their read-only modes, changed files are writable.

        `overlay` None (default) mounts an overlay when `overlay_supported()` and falls back to
        the hard-link farm otherwise; True insists (`OSError` if it cannot mount); False never
        mounts. The overlay's lower layers are the changed files, a cached skeleton of the
        base's directories made 0777 (a `chmod` of each merged directory would copy each one up
        and cost more than the farm's `mkdir`s), then the base; every write lands in
        `directory/overlay/`, so not even root writes reach the cache. A changed file under a
        symlinked directory of the base needs the farm. Unmount with `unmount`, `remove` or
        the context manager; mounts still there when the process exits are detached.
        Raises `OSError` when the tree cannot be built (or, with `overlay=True`, mounted) and
        `ValueError` when a changed file would be written through a link leaving the tree.

        The farm makes fresh directories; unchanged files are hard links to the read-only
        cache (copies if `hardlink` is False or the link fails, e.g. across devices). A hard
        link shares the cache's inode: only a process running as another user (the sandbox's
        `nobody`) is kept from writing through it, so code run as the cache's owner needs
        `hardlink=False`. The base must be immutable (its listing and skeleton are cached).
        """
        target = target if target is not None else self.directory / TREE_DIR
        self._claim()
        self._clear(target)
        if overlay is not False and overlay_supported() and self._overlayable():
            try:
                return self._mount(target)
            except OSError:
                if overlay:
                    raise
        elif overlay:
            raise OSError(errno.EOPNOTSUPP, "no overlay: it needs root, a kernel allowing it, "
                          "and no changed file under a symlink of the base")
        return self._link_farm(target, hardlink)

    def unmount(self) -> None:
        """Unmount every overlay tree this workspace mounted (their files go with `remove`).

        Raises `OSError` only if a tree can be neither unmounted nor detached.
        """
        for target in sorted(self._mounts, reverse=True):
            unmount(str(target))
        self._mounts.clear()

    def remove(self) -> None:
        """Unmount, then delete everything this workspace wrote (never the cached base).

        Raises `OSError` when a mount cannot be detached or a file cannot be deleted.
        """
        self.unmount()
        for point in mount_points_under(self.directory):
            unmount(point)
        if self.directory.exists():
            remove_tree(self.directory)

    def _claim(self) -> None:
        """Create the directory and record this process as its owner (once)."""
        if not self._claimed:
            self.directory.mkdir(parents=True, exist_ok=True)
            mark(self.directory)
            self._claimed = True

    def _clear(self, target: Path) -> None:
        """Unmount and delete whatever an earlier `materialise` left at `target`."""
        self._mounts.discard(target)
        for point in mount_points_under(target):
            unmount(point)
        if target.is_symlink():
            target.unlink()
        elif target.exists():
            remove_tree(target)
        layers = self._layers(target)
        if layers.exists():
            remove_tree(layers)

    def _layers(self, target: Path) -> Path:
        """Where the upper and work directories of an overlay at `target` live."""
        key = hashlib.sha256(os.fsencode(os.path.abspath(target))).hexdigest()[:16]
        return self.directory / OVERLAY_DIR / key

    def _overlayable(self) -> bool:
        """No changed file lies under a symlink of the base (the farm writes through those)."""
        for relpath in self.changed():
            parents = PurePosixPath(relpath).parents
            if any(os.path.islink(self.base / parent) for parent in parents if parent.name):
                return False
        paths = [self.base, self.changes, self.directory]
        return not any(mark in str(path) for path in paths for mark in UNSAFE_IN_MOUNT_OPTIONS)

    def _mount(self, target: Path) -> Path:
        """Mount the overlay at `target`; on any failure nothing stays mounted."""
        layers = self._layers(target)
        upper, work = layers / "upper", layers / "work"
        upper.mkdir(parents=True)
        work.mkdir()
        _make_directory(target)
        try:
            lower = [_skeleton(self.base), self.base]
            if self.changed():
                lower.insert(0, self._open_changes())
            mount_overlay(lower, upper, work, target)
        except OSError:
            remove_tree(layers)
            raise
        self._mounts.add(target)
        try:
            os.chmod(target, OPEN_DIRECTORY_MODE)
        except BaseException:
            self._mounts.discard(target)
            unmount(str(target))
            raise
        return target

    def _open_changes(self) -> Path:
        """Give the changed files the modes the farm gives them, and their directories 0777."""
        for directory, _dirs, files in os.walk(self.changes):
            os.chmod(directory, OPEN_DIRECTORY_MODE)
            for name in files:
                relative = os.path.relpath(os.path.join(directory, name), self.changes)
                base_file = self.base / relative
                executable = base_file.is_file() and os.stat(base_file).st_mode & stat.S_IXUSR
                mode = CHANGED_EXECUTABLE_MODE if executable else CHANGED_FILE_MODE
                os.chmod(os.path.join(directory, name), mode)
        return self.changes

    def _link_farm(self, target: Path, hardlink: bool) -> Path:
        directories, files, links = _listing(self.base)
        changed = self.changed()
        target.parent.mkdir(parents=True, exist_ok=True)
        _make_directory(target)
        base, root = str(self.base), str(target)
        for directory in directories:  # sorted: parents come first
            os.mkdir(f"{root}/{directory}")
            os.chmod(f"{root}/{directory}", OPEN_DIRECTORY_MODE)
        for relative in files:
            if relative in changed:
                continue
            source, destination = f"{base}/{relative}", f"{root}/{relative}"
            if hardlink:
                try:
                    os.link(source, destination)
                    continue
                except OSError:
                    pass
            shutil.copyfile(source, destination)
            os.chmod(destination, (os.stat(source).st_mode & 0o555) | 0o200)
        for relative, link_target in links:
            if relative not in changed:
                os.symlink(link_target, f"{root}/{relative}")
        for relative, path in changed.items():
            _write_changed(path, target / relative, self.base / relative, target)
        return target


def _skeleton(base: Path) -> Path:
    """The base's directories, empty and 0777, cached once per base in a root-only folder.

    As an overlay layer above the base it makes every merged directory open to every user
    at no cost per mount.
    """
    parent = cache_dir(SKELETONS)
    os.chmod(parent, 0o700)  # the skeletons are world-writable: keep others from reaching them
    real = os.path.realpath(base)
    info = os.stat(real)
    key = hashlib.sha256(f"{real}\0{info.st_dev}\0{info.st_ino}".encode()).hexdigest()[:32]
    skeleton = parent / key
    if skeleton.is_dir():
        return skeleton
    building = Path(tempfile.mkdtemp(prefix=f"{key}.", dir=parent))
    for directory in _listing(base)[0]:  # sorted: parents come first
        os.mkdir(building / directory)
        os.chmod(building / directory, OPEN_DIRECTORY_MODE)
    os.chmod(building, OPEN_DIRECTORY_MODE)
    try:
        building.rename(skeleton)
    except OSError:  # built meanwhile by another process
        shutil.rmtree(building)
    return skeleton


def _make_directory(path: Path) -> None:
    """Create `path` and any missing parent, each open to every user (mode 0777)."""
    if path.is_dir():
        return
    if not path.parent.is_dir():
        _make_directory(path.parent)
    path.mkdir()
    os.chmod(path, OPEN_DIRECTORY_MODE)


def _write_changed(source: Path, destination: Path, base_file: Path, root: Path) -> None:
    real_root = os.path.realpath(root)
    if os.path.commonpath([real_root, os.path.realpath(destination.parent)]) != real_root:
        raise ValueError(f"{destination} would be written through a link leaving the tree")
    _make_directory(destination.parent)
    if destination.is_symlink() or destination.exists():
        destination.unlink()
    shutil.copyfile(source, destination)
    executable = base_file.is_file() and os.stat(base_file).st_mode & stat.S_IXUSR
    os.chmod(destination, CHANGED_EXECUTABLE_MODE if executable else CHANGED_FILE_MODE)
