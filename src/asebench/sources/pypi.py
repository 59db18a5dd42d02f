"""PyPI source distributions, fetched the way a user would: `pip download --no-binary :all:`."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from asebench.dataset.schema import PypiSource
from asebench.sources.archive_store import ReleaseKey, download_once, tree_from_archive
from asebench.sources.tree import SourceTree


def _key(name: str, version: str) -> ReleaseKey:
    return ReleaseKey("pypi", re.sub(r"[-_.]+", "-", name).lower(), version)


def download_sdist(name: str, version: str, *, sha256: str | None = None) -> Path:
    """The sdist of `name==version` in the archive store; pip runs only if it is not stored."""

    def command(scratch: Path) -> list[str]:
        return [
            sys.executable, "-m", "pip", "download",
            "--no-deps", "--no-binary", ":all:", "--disable-pip-version-check",
            f"{name}=={version}", "-d", str(scratch),
        ]  # fmt: skip

    return download_once(_key(name, version), sha256, command, tool="pip")


def fetch_release(name: str, version: str, *, sha256: str | None = None) -> SourceTree:
    """The read-only release root of `name==version` (e.g. the fixed release of an instance)."""
    archive = download_sdist(name, version, sha256=sha256)
    return tree_from_archive(archive, source=str(_key(name, version)))


def fetch_pypi(source: PypiSource) -> SourceTree:
    """The vulnerable release of a PyPI instance, checked against its pinned sha256."""
    return fetch_release(source.name, source.version, sha256=source.sha256)
