"""`asebench_probe.archives`: the zip archives a judge writes for extraction PoCs keep every
name as given, directories, and Unix symbolic link entries."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

from asebench.probe.archives import write_zip


def test_entries_keep_their_order_names_and_bytes(tmp_path: Path) -> None:
    archive = tmp_path / "a.zip"
    write_zip(archive, [("docs/", None), ("docs/a.txt", b"abc"), ("../../climb", b"x")])

    with zipfile.ZipFile(archive) as bundle:
        assert bundle.namelist() == ["docs/", "docs/a.txt", "../../climb"]
        assert bundle.getinfo("docs/").is_dir()
        assert bundle.read("docs/a.txt") == b"abc" and bundle.read("../../climb") == b"x"


def test_a_linked_name_is_a_unix_symbolic_link_to_its_target(tmp_path: Path) -> None:
    archive = tmp_path / "a.zip"
    write_zip(archive, [("up", None), ("f", b"1")], links={"up": "../.."})

    with zipfile.ZipFile(archive) as bundle:
        info = bundle.getinfo("up")
        assert stat.S_ISLNK(info.external_attr >> 16) and info.create_system == 3
        assert bundle.read("up") == b"../.."
        assert not stat.S_ISLNK(bundle.getinfo("f").external_attr >> 16)
