"""Archive extraction: the top folder goes, anything leaving the root is refused."""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path

import pytest

from asebench.sources import SourceError
from asebench.sources.extract import extract_archive


def _tar(path: Path, members: dict[str, str], links: dict[str, str] | None = None) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, text in members.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        for name, target in (links or {}).items():
            info = tarfile.TarInfo(name)
            info.type = tarfile.SYMTYPE
            info.linkname = target
            tar.addfile(info)
    return path


def test_single_top_folder_is_stripped(tmp_path: Path) -> None:
    archive = _tar(tmp_path / "a.tar.gz", {"demo-1.0/setup.py": "", "demo-1.0/demo/x.py": "1"})
    (tmp_path / "out").mkdir()
    extract_archive(archive, tmp_path / "out", source="demo")
    assert (tmp_path / "out" / "demo" / "x.py").read_text() == "1"
    assert (tmp_path / "out" / "setup.py").is_file()


def test_parent_directory_member_is_rejected(tmp_path: Path) -> None:
    archive = _tar(tmp_path / "a.tar.gz", {"pkg/ok.py": "", "pkg/../../evil.py": "x"})
    (tmp_path / "out").mkdir()
    with pytest.raises(SourceError, match="leaves the archive root"):
        extract_archive(archive, tmp_path / "out", source="demo")
    assert not (tmp_path / "evil.py").exists()
    assert list((tmp_path / "out").iterdir()) == []


def test_absolute_member_is_rejected(tmp_path: Path) -> None:
    archive = _tar(tmp_path / "a.tar.gz", {"/tmp/evil.py": "x"})
    (tmp_path / "out").mkdir()
    with pytest.raises(SourceError, match="absolute path"):
        extract_archive(archive, tmp_path / "out", source="demo")


def test_link_escaping_the_root_is_rejected(tmp_path: Path) -> None:
    archive = _tar(tmp_path / "a.tar.gz", {"pkg/ok.py": ""}, {"pkg/passwd": "../../etc/passwd"})
    (tmp_path / "out").mkdir()
    with pytest.raises(SourceError, match="leaves the archive root"):
        extract_archive(archive, tmp_path / "out", source="demo")


def test_zip_parent_directory_member_is_rejected(tmp_path: Path) -> None:
    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("pkg/ok.py", "")
        bundle.writestr("../evil.py", "x")
    (tmp_path / "out").mkdir()
    with pytest.raises(SourceError, match="leaves the archive root"):
        extract_archive(archive, tmp_path / "out", source="demo")
    assert not (tmp_path / "evil.py").exists()


def test_zip_top_folder_is_stripped(tmp_path: Path) -> None:
    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("demo-1.0/demo/x.py", "1")
    (tmp_path / "out").mkdir()
    extract_archive(archive, tmp_path / "out", source="demo")
    assert (tmp_path / "out" / "demo" / "x.py").read_text() == "1"
