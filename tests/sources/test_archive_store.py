"""Archives are stored by sha256, recorded, re-checked on reuse, and checked against pins."""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
from pathlib import Path

import pytest

from asebench.sources import SourceError
from asebench.sources.archive_store import (
    ReleaseKey,
    cached_archive,
    store_archive,
    tree_from_archive,
)

KEY = ReleaseKey("pypi", "demo", "1.0")


def _sdist(path: Path) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        data = b"def handler():\n    pass\n"
        info = tarfile.TarInfo("demo-1.0/demo/views.py")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return path


def test_archive_is_stored_under_its_sha256_and_recorded(tmp_path: Path, cache: Path) -> None:
    download = _sdist(tmp_path / "demo-1.0.tar.gz")
    digest = hashlib.sha256(download.read_bytes()).hexdigest()
    stored = store_archive(KEY, download)
    assert stored == cache / "archives" / f"{digest}.tar.gz"
    record = json.loads(KEY.index_path().read_text())
    assert record["sha256"] == digest
    assert cached_archive(KEY) == stored


def test_pinned_sha256_mismatch_names_package_and_both_digests(tmp_path: Path) -> None:
    download = _sdist(tmp_path / "demo-1.0.tar.gz")
    actual = hashlib.sha256(download.read_bytes()).hexdigest()
    with pytest.raises(SourceError) as caught:
        store_archive(KEY, download, expected_sha256="0" * 64)
    message = str(caught.value)
    assert "pypi demo==1.0" in message
    assert "0" * 64 in message and actual in message
    assert cached_archive(KEY) is None


def test_pinned_sha256_is_checked_on_reuse_too(tmp_path: Path) -> None:
    store_archive(KEY, _sdist(tmp_path / "demo-1.0.tar.gz"))
    with pytest.raises(SourceError, match="sha256 mismatch"):
        cached_archive(KEY, "f" * 64)


def test_corrupted_archive_is_detected_on_reuse(tmp_path: Path) -> None:
    stored = store_archive(KEY, _sdist(tmp_path / "demo-1.0.tar.gz"))
    os.chmod(stored, 0o644)
    stored.write_bytes(b"tampered")
    with pytest.raises(SourceError, match="corrupt"):
        cached_archive(KEY)


def test_tree_from_archive_is_the_release_root_keyed_by_sha256(tmp_path: Path) -> None:
    stored = store_archive(KEY, _sdist(tmp_path / "demo-1.0.tar.gz"))
    tree = tree_from_archive(stored, source=str(KEY))
    assert tree.digest == stored.name.removesuffix(".tar.gz")
    assert (tree.root / "demo" / "views.py").read_text().startswith("def handler")
