"""Local directory sources, copied into the cache so every tree is read-only and immutable.

The digest hashes each entry's relative path, kind (file, executable, link, directory) and
content, so an edit to the directory gives a new tree. `.git` folders are left out.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from asebench.dataset.schema import LocalSource
from asebench.sources.errors import SourceError
from asebench.sources.tree import SourceTree, build_tree

SKIPPED = frozenset({".git"})


def _entries(root: Path) -> list[tuple[str, str]]:
    """(relative path, kind) of every entry under `root`, sorted, `.git` left out."""
    entries = []
    for directory, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(name for name in dirnames if name not in SKIPPED)
        relative_dir = os.path.relpath(directory, root)
        for name in dirnames + [n for n in filenames if n not in SKIPPED]:
            relative = os.path.normpath(os.path.join(relative_dir, name)).replace(os.sep, "/")
            path = os.path.join(directory, name)
            if os.path.islink(path):
                kind = "link"
            elif os.path.isdir(path):
                kind = "dir"
            else:
                kind = "exec" if os.access(path, os.X_OK) else "file"
            entries.append((relative, kind))
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
