"""npm package tarballs, fetched the way a user would: `npm pack NAME@VERSION`."""

from __future__ import annotations

import tempfile
from pathlib import Path

from asebench.cache import cache_dir
from asebench.dataset.schema import NpmSource
from asebench.sources.archive_store import (
    ReleaseKey,
    cached_archive,
    store_archive,
    tree_from_archive,
)
from asebench.sources.command import run_command
from asebench.sources.errors import SourceError
from asebench.sources.tree import SourceTree


def _key(name: str, version: str) -> ReleaseKey:
    return ReleaseKey("npm", name, version)


def download_tarball(name: str, version: str, *, sha256: str | None = None) -> Path:
    """The tarball of `name@version` in the archive store; npm runs only if it is not stored."""
    key = _key(name, version)
    stored = cached_archive(key, sha256)
    if stored is not None:
        return stored
    with tempfile.TemporaryDirectory(prefix="asebench-npm-") as scratch:
        command = [
            "npm", "pack", f"{name}@{version}",
            "--pack-destination", scratch,
            "--ignore-scripts", "--loglevel=error",
            "--cache", str(cache_dir("npm")),
        ]  # fmt: skip
        run_command(command, source=str(key), cwd=Path(scratch))
        downloads = [path for path in Path(scratch).iterdir() if path.name.endswith(".tgz")]
        if len(downloads) != 1:
            found = ", ".join(path.name for path in downloads) or "nothing"
            raise SourceError(str(key), f"expected one tarball, npm saved {found}", command=command)
        return store_archive(key, downloads[0], sha256)


def fetch_release(name: str, version: str, *, sha256: str | None = None) -> SourceTree:
    """The read-only package root of `name@version` (its `package/` folder stripped)."""
    archive = download_tarball(name, version, sha256=sha256)
    return tree_from_archive(archive, source=str(_key(name, version)))


def fetch_npm(source: NpmSource) -> SourceTree:
    """The vulnerable release of an npm instance, checked against its pinned sha256."""
    return fetch_release(source.name, source.version, sha256=source.sha256)
