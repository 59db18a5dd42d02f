"""One sample's tree: the read-only cached source plus the files the sample changed.

Changed files live under `directory/changed/<relpath>`; static checks read them in place
(`path`, `changed`), and only checks that run code ask for a full tree (`materialise`), which
hard-links the unchanged files to the cache instead of copying them.
"""

from __future__ import annotations

import functools
import os
import shutil
import stat
from pathlib import Path, PurePosixPath

CHANGED_DIR = "changed"
TREE_DIR = "tree"
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
    """A cached read-only `base` tree plus the files changed for one sample, in `directory`."""

    def __init__(self, base: Path, directory: Path) -> None:
        self.base = base
        self.directory = directory
        self.changes = directory / CHANGED_DIR

    def write(self, relpath: str, text: str) -> Path:
        """Record the new content of `relpath` (the base is never touched); returns its path."""
        target = self.changes / _checked(relpath)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="")
        return target

    def path(self, relpath: str) -> Path:
        """The file to read for `relpath`: the changed version if any, else the base file."""
        relpath = _checked(relpath)
        changed = self.changes / relpath
        return changed if changed.is_file() else self.base / relpath

    def read(self, relpath: str) -> str:
        """The text of `relpath` as this sample sees it."""
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

    def materialise(self, target: Path | None = None, *, hardlink: bool = True) -> Path:
        """Build the full tree at `target` (default `directory/tree`) and return it.

        Directories are fresh and world-writable (a sandboxed `nobody` may create files);
        unchanged files are hard links to the read-only cache (copies if `hardlink` is False
        or the link fails, e.g. across devices); changed files are real, writable files.
        A hard link shares the cache's inode: only a process running as another user (the
        sandbox's `nobody`) is kept from writing through it, so code run as the cache's owner
        needs `hardlink=False`. The base must be immutable (its listing is memoised).
        """
        target = target if target is not None else self.directory / TREE_DIR
        if target.exists():
            _remove_tree(target)
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

    def remove(self) -> None:
        """Delete everything this workspace wrote (never the cached base)."""
        if self.directory.exists():
            _remove_tree(self.directory)


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


def _remove_tree(path: Path) -> None:
    """Remove a workspace tree; only directories are made writable (files may be cache links)."""
    for directory, dirnames, _files in os.walk(path):
        for name in dirnames:
            child = os.path.join(directory, name)
            if not os.path.islink(child):
                os.chmod(child, 0o777)
    shutil.rmtree(path)
