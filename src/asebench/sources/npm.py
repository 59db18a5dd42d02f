"""npm package tarballs, fetched the way a user would: `npm pack NAME@VERSION`."""

from __future__ import annotations

from pathlib import Path

from asebench.cache import cache_dir
from asebench.dataset.schema import NpmSource
from asebench.sources.archive_store import ReleaseKey, download_once, tree_from_archive
from asebench.sources.command import run_command
from asebench.sources.tree import SourceTree


def _key(name: str, version: str) -> ReleaseKey:
    return ReleaseKey("npm", name, version)


def download_tarball(name: str, version: str, *, sha256: str | None = None) -> Path:
    """The tarball of `name@version` in the archive store; npm runs only if it is not stored."""

    key = _key(name, version)

    def download(scratch: Path) -> None:
        # `npm pack` with --ignore-scripts runs nothing of the package's
        run_command([
            "npm", "pack", f"{name}@{version}",
            "--pack-destination", str(scratch),
            "--ignore-scripts", "--loglevel=error",
            "--cache", str(cache_dir("npm")),
        ], source=str(key), cwd=scratch)  # fmt: skip

    return download_once(key, sha256, download, tool="npm",
                         keep=lambda path: path.name.endswith(".tgz"))


def fetch_release(name: str, version: str, *, sha256: str | None = None) -> SourceTree:
    """The read-only package root of `name@version` (its `package/` folder stripped)."""
    archive = download_tarball(name, version, sha256=sha256)
    return tree_from_archive(archive, source=str(_key(name, version)))


def fetch_npm(source: NpmSource) -> SourceTree:
    """The vulnerable release of an npm instance, checked against its pinned sha256."""
    return fetch_release(source.name, source.version, sha256=source.sha256)
