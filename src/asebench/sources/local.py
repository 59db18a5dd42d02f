"""Local directory sources, copied into the cache so every tree is read-only and immutable.

The digest hashes each entry's relative path, kind (file, executable, link, directory) and
content, so an edit to the directory gives a new tree. `.git` folders are left out.

A local source is dataset content, read by whoever runs asebench (often root), shown to the
model as context and to sandboxed code as `nobody`, and sealed world-readable in the cache. So
before anything is copied, the directory is refused (`SourceError` naming the entry) when:

- a symlink in it resolves outside it (absolute or `..`): reading through it would put a host
  file into the prompt;
- a file or directory is not readable by others (a directory also not searchable): asebench
  refuses rather than copying it with narrower permissions, because everything in a source
  tree is meant to be shown to the model and to the sandbox user; a file its owner kept
  private is not benchmark content, and a cached copy kept private would be unreadable to the
  sandbox while still reaching the prompt, which root builds. Refusing keeps the cache from
  ever widening what the owner allowed;
- an entry is neither file, directory nor symlink (a FIFO would block the copy forever, a
  device would be read as data).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from pathlib import Path

from asebench.dataset.schema import LocalSource
from asebench.sources.errors import SourceError
from asebench.sources.tree import SourceTree, build_tree

SKIPPED = frozenset({".git"})


OTHERS_READ = stat.S_IROTH
OTHERS_SEARCH = stat.S_IROTH | stat.S_IXOTH


def _kind(root: str, path: str, relative: str) -> str:
    """`link`, `dir`, `exec` or `file` for one entry, or `SourceError` when it is unsafe to
    copy (see the module docstring)."""
    info = os.lstat(path)
    mode = info.st_mode
    if stat.S_ISLNK(mode):
        target = os.path.realpath(path)
        if target != root and not target.startswith(root + os.sep):
            raise SourceError(f"local {root}", f"{relative} is a symlink that leaves the "
                              f"source directory (to {os.readlink(path)})")
        return "link"
    if stat.S_ISDIR(mode):
        if mode & OTHERS_SEARCH != OTHERS_SEARCH:
            raise SourceError(f"local {root}", f"{relative or '.'} is a directory others "
                              f"cannot read (mode {stat.S_IMODE(mode):04o}): a source must be "
                              "world-readable")
        return "dir"
    if not stat.S_ISREG(mode):
        raise SourceError(f"local {root}", f"{relative} is not a regular file, directory or "
                          "symlink")
    if not mode & OTHERS_READ:
        raise SourceError(f"local {root}", f"{relative} is a file others cannot read (mode "
                          f"{stat.S_IMODE(mode):04o}): a source must be world-readable")
    return "exec" if mode & 0o111 else "file"


def _entries(root: Path) -> list[tuple[str, str]]:
    """(relative path, kind) of every entry under `root`, sorted, `.git` left out; raises
    `SourceError` for an entry that is unsafe to copy (see the module docstring)."""
    base = os.path.realpath(root)
    _kind(base, base, ".")
    entries = []
    for directory, dirnames, filenames in os.walk(base):
        dirnames[:] = sorted(name for name in dirnames if name not in SKIPPED)
        relative_dir = os.path.relpath(directory, base)
        for name in dirnames + [n for n in filenames if n not in SKIPPED]:
            relative = os.path.normpath(os.path.join(relative_dir, name)).replace(os.sep, "/")
            entries.append((relative, _kind(base, os.path.join(directory, name), relative)))
    return sorted(entries)


def directory_digest(root: Path) -> str:
    """A sha256 over the relative paths, kinds and contents of everything under `root`."""
    digest = hashlib.sha256()
    for relative, kind in _entries(root):
        digest.update(f"{kind}\0{relative}\0".encode())
        path = root / relative
        if kind == "link":
            digest.update(os.readlink(path).encode())
        elif kind != "dir":
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        digest.update(b"\0")
    return digest.hexdigest()


def _copy(root: Path, destination: Path) -> None:
    ignore = shutil.ignore_patterns(*SKIPPED)
    shutil.copytree(root, destination, symlinks=True, ignore=ignore, dirs_exist_ok=True)


def fetch_directory(path: Path) -> SourceTree:
    """A read-only copy of the directory `path` in the cache, keyed by its content."""
    if not path.is_dir():
        raise SourceError(f"local {path}", "not a directory")
    root = path.resolve()
    return build_tree(directory_digest(root), lambda staging: _copy(root, staging))


def fetch_local(source: LocalSource, *, instance_root: Path | None = None) -> SourceTree:
    """The tree of a local source; a relative path is taken from the instance directory."""
    path = Path(source.path)
    if not path.is_absolute():
        path = (instance_root if instance_root is not None else Path.cwd()) / path
    return fetch_directory(path)
