"""PyPI source distributions, fetched the way a user would: `pip download --no-binary :all:`."""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

from asebench.dataset.schema import PypiSource
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
    return ReleaseKey("pypi", re.sub(r"[-_.]+", "-", name).lower(), version)


def download_sdist(name: str, version: str, *, sha256: str | None = None) -> Path:
    """The sdist of `name==version` in the archive store; pip runs only if it is not stored."""
    key = _key(name, version)
    stored = cached_archive(key, sha256)
    if stored is not None:
        return stored
    with tempfile.TemporaryDirectory(prefix="asebench-pip-") as scratch:
        command = [
            sys.executable, "-m", "pip", "download",
            "--no-deps", "--no-binary", ":all:", "--disable-pip-version-check",
            f"{name}=={version}", "-d", scratch,
        ]  # fmt: skip
        run_command(command, source=str(key))
        downloads = [path for path in Path(scratch).iterdir() if path.is_file()]
        if len(downloads) != 1:
            found = ", ".join(path.name for path in downloads) or "nothing"
            raise SourceError(str(key), f"expected one sdist, pip saved {found}", command=command)
        return store_archive(key, downloads[0], sha256)


def fetch_release(name: str, version: str, *, sha256: str | None = None) -> SourceTree:
    """The read-only release root of `name==version` (e.g. the fixed release of an instance)."""
    archive = download_sdist(name, version, sha256=sha256)
    return tree_from_archive(archive, source=str(_key(name, version)))


def fetch_pypi(source: PypiSource) -> SourceTree:
    """The vulnerable release of a PyPI instance, checked against its pinned sha256."""
    return fetch_release(source.name, source.version, sha256=source.sha256)
