"""Release archives stored by content: `cache_dir("archives")/<sha256>.<ext>`.

A small JSON record per release (`archives/index/<kind>/<name>/<version>.json`) maps what was
asked for to the archive and its sha256; the digest is re-checked every time the archive is
reused, and against the instance's pinned `sha256` when it has one.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from asebench.cache import cache_dir
from asebench.sources.errors import SourceError
from asebench.sources.extract import extract_archive
from asebench.sources.tree import SourceTree, build_tree

ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".tar", ".zip", ".jar")


@dataclass(frozen=True)
class ReleaseKey:
    """What was asked for: a registry (`pypi`, `npm`, `maven`, `gomod`), a package name and a
    version."""

    kind: str
    name: str
    version: str

    def __str__(self) -> str:
        separator = {"npm": "@", "gomod": "@", "maven": ":"}.get(self.kind, "==")
        return f"{self.kind} {self.name}{separator}{self.version}"

    def index_path(self) -> Path:
        safe_name = re.sub(r"[^A-Za-z0-9._-]+", "_", self.name)
        safe_version = re.sub(r"[^A-Za-z0-9._+-]+", "_", self.version)
        return cache_dir("archives") / "index" / self.kind / safe_name / f"{safe_version}.json"


def file_sha256(path: Path) -> str:
    """The hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def archive_suffix(filename: str) -> str:
    """The archive extension of `filename` (`.tar.gz`, `.zip`, …)."""
    for suffix in ARCHIVE_SUFFIXES:
        if filename.lower().endswith(suffix):
            return suffix
    raise ValueError(f"not a known archive type: {filename}")


def _check_pinned(key: ReleaseKey, expected: str | None, actual: str) -> None:
    if expected is not None and expected.lower() != actual:
        raise SourceError(str(key), f"sha256 mismatch: expected {expected.lower()}, got {actual}",
                          field="sha256")


def cached_archive(key: ReleaseKey, expected_sha256: str | None = None) -> Path | None:
    """The stored archive of `key`, re-checked against its record, or None if not stored."""
    try:
        record = json.loads(key.index_path().read_text(encoding="utf-8"))
        archive = cache_dir("archives") / str(record["file"])
        recorded = str(record["sha256"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not archive.is_file():
        return None
    actual = file_sha256(archive)
    if actual != recorded:
        raise SourceError(
            str(key),
            f"cached archive {archive} is corrupt: recorded sha256 {recorded}, now {actual}; "
            "delete it to download again",
        )
    _check_pinned(key, expected_sha256, actual)
    return archive


def store_archive(key: ReleaseKey, download: Path, expected_sha256: str | None = None) -> Path:
    """Check `download` against the pinned digest, store it by content and record it."""
    actual = file_sha256(download)
    _check_pinned(key, expected_sha256, actual)
    archives = cache_dir("archives")
    stored = archives / f"{actual}{archive_suffix(download.name)}"
    if not stored.is_file():
        handle, staging = tempfile.mkstemp(prefix=".incoming-", dir=archives)
        os.close(handle)
        shutil.copyfile(download, staging)
        os.chmod(staging, 0o444)
        os.replace(staging, stored)
    record = {
        "kind": key.kind,
        "name": key.name,
        "version": key.version,
        "filename": download.name,
        "file": stored.name,
        "sha256": actual,
    }
    index = key.index_path()
    index.parent.mkdir(parents=True, exist_ok=True)
    handle, staging = tempfile.mkstemp(prefix=".record-", dir=index.parent)
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        json.dump(record, stream, indent=2)
    os.replace(staging, index)
    return stored


def download_once(
    key: ReleaseKey,
    expected_sha256: str | None,
    download: Callable[[Path], None],
    *,
    tool: str,
    keep: Callable[[Path], bool] = Path.is_file,
) -> Path:
    """The stored archive of `key`; when absent, `download(scratch)` (pip, npm) must save
    exactly one archive into the empty scratch folder (raising `SourceError` when it cannot),
    and it is stored (sha256 checked)."""
    stored = cached_archive(key, expected_sha256)
    if stored is not None:
        return stored
    with tempfile.TemporaryDirectory(prefix=f"asebench-{tool}-") as scratch:
        download(Path(scratch))
        downloads = [path for path in Path(scratch).iterdir() if keep(path)]
        if len(downloads) != 1:
            found = ", ".join(path.name for path in downloads) or "nothing"
            raise SourceError(str(key), f"expected one archive, {tool} saved {found}")
        return store_archive(key, downloads[0], expected_sha256)


def tree_from_archive(archive: Path, *, source: str, strip_top: bool = True) -> SourceTree:
    """The read-only release root of a stored archive, keyed by the archive's sha256
    (`strip_top`: without the single top folder an sdist or npm tarball has)."""
    digest = archive.name.removesuffix(archive_suffix(archive.name))
    return build_tree(digest, lambda staging: extract_archive(archive, staging, source=source,
                                                              strip_top=strip_top))
