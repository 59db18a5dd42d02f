"""Read-only source trees in the cache, published atomically under `cache_dir("trees")`.

A tree is filled in a staging directory beside its final place, sealed read-only (files 0444,
or 0555 when executable; directories 0555), then renamed into place in one step, so two
processes fetching the same source at once both end with the same complete tree.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from asebench.cache import cache_dir

FILE_MODE = 0o444
EXECUTABLE_MODE = 0o555
DIRECTORY_MODE = 0o555


@dataclass(frozen=True)
class SourceTree:
    """A release root in the cache (read-only) and a stable id of its content."""

    root: Path
    digest: str


def tree_path(digest: str) -> Path:
    """Where the tree with this digest lives (whether or not it exists yet)."""
    return cache_dir("trees") / digest


def cached_tree(digest: str) -> SourceTree | None:
    """The published tree with this digest, if it is already in the cache."""
    root = tree_path(digest)
    return SourceTree(root, digest) if root.is_dir() else None


def build_tree(digest: str, fill: Callable[[Path], None]) -> SourceTree:
    """Publish the tree `digest`, calling `fill(staging_dir)` only if it is not cached yet."""
    found = cached_tree(digest)
    if found is not None:
        return found
    final = tree_path(digest)
    staging = Path(tempfile.mkdtemp(prefix=f".{digest[:16]}-", dir=final.parent))
    try:
        fill(staging)
        seal(staging)
        try:
            os.rename(staging, final)
        except OSError:
            if not final.is_dir():
                raise
            # another process published the same tree first: theirs is identical
    finally:
        if staging.exists():
            remove_tree(staging)
    return SourceTree(final, digest)


def seal(root: Path) -> None:
    """Make every file and directory under `root` (and `root`) read-only, bottom-up."""
    for directory, _dirnames, filenames in os.walk(root, topdown=False):
        for name in filenames:
            path = os.path.join(directory, name)
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode):
                continue
            executable = info.st_mode & 0o111
            os.chmod(path, EXECUTABLE_MODE if executable else FILE_MODE)
        os.chmod(directory, DIRECTORY_MODE)


def remove_tree(root: Path) -> None:
    """Delete a tree whose directories may be read-only (a sealed cache tree, a workspace the
    sandbox changed), first giving its directories write access; files are left untouched,
    since a workspace's files may be hard links into the cache."""
    if not root.is_dir() or root.is_symlink():
        return
    os.chmod(root, 0o755)
    for directory, dirnames, _filenames in os.walk(root):
        for name in dirnames:
            path = os.path.join(directory, name)
            if not os.path.islink(path):
                os.chmod(path, 0o755)
    shutil.rmtree(root)
