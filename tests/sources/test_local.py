"""Local sources: copied into the cache read-only, keyed by their content."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from asebench.dataset.schema import LocalSource
from asebench.sources import fetch_tree
from asebench.sources.errors import SourceError


def _project(root: Path) -> Path:
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "mod.py").write_text("x = 1\n")
    (root / "run.sh").write_text("#!/bin/sh\n")
    (root / "run.sh").chmod(0o755)
    return root


def test_round_trip_copies_every_file_read_only(tmp_path: Path) -> None:
    project = _project(tmp_path / "project")
    tree = fetch_tree(LocalSource(path=str(project)))
    assert tree.root != project
    assert (tree.root / "pkg" / "mod.py").read_text() == "x = 1\n"
    assert (tree.root / "pkg" / "mod.py").stat().st_mode & 0o777 == 0o444
    assert (tree.root / "run.sh").stat().st_mode & 0o777 == 0o555


def test_same_content_gives_the_same_tree(tmp_path: Path) -> None:
    first = fetch_tree(LocalSource(path=str(_project(tmp_path / "a"))))
    second = fetch_tree(LocalSource(path=str(_project(tmp_path / "b"))))
    assert first == second


def test_an_edit_gives_a_new_digest(tmp_path: Path) -> None:
    project = _project(tmp_path / "project")
    before = fetch_tree(LocalSource(path=str(project)))
    (project / "pkg" / "mod.py").write_text("x = 2\n")
    after = fetch_tree(LocalSource(path=str(project)))
    assert after.digest != before.digest
    assert (before.root / "pkg" / "mod.py").read_text() == "x = 1\n"


def test_relative_path_is_taken_from_the_instance_directory(tmp_path: Path) -> None:
    _project(tmp_path / "instance" / "project")
    tree = fetch_tree(LocalSource(path="project"), instance_root=tmp_path / "instance")
    assert (tree.root / "pkg" / "mod.py").is_file()


def test_git_directory_is_left_out(tmp_path: Path) -> None:
    project = _project(tmp_path / "project")
    (project / ".git").mkdir()
    (project / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    tree = fetch_tree(LocalSource(path=str(project)))
    assert not (tree.root / ".git").exists()


def _refused(project: Path, match: str) -> None:
    with pytest.raises(SourceError, match=match):
        fetch_tree(LocalSource(path=str(project)))


def test_a_symlink_that_leaves_the_directory_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("OUTSIDE_CANARY\n")
    absolute = _project(tmp_path / "absolute")
    (absolute / "pkg" / "notes.py").symlink_to(outside)
    _refused(absolute, r"pkg/notes.py is a symlink that leaves the source directory")
    relative = _project(tmp_path / "relative")
    (relative / "etc_link").symlink_to("../..")
    _refused(relative, r"etc_link is a symlink that leaves")


def test_a_symlink_inside_the_directory_is_kept(tmp_path: Path) -> None:
    project = _project(tmp_path / "project")
    (project / "alias.py").symlink_to("pkg/mod.py")
    tree = fetch_tree(LocalSource(path=str(project)))
    assert (tree.root / "alias.py").is_symlink()
    assert (tree.root / "alias.py").read_text() == "x = 1\n"


def test_a_file_others_cannot_read_is_refused_and_never_copied(tmp_path: Path) -> None:
    project = _project(tmp_path / "project")
    (project / "private.txt").write_text("PRIVATE_CANARY\n")
    (project / "private.txt").chmod(0o600)
    _refused(project, r"private.txt is a file others cannot read \(mode 0600\)")
    cached = [p for p in (tmp_path / "cache" / "trees").rglob("*") if p.is_file()]
    assert all("PRIVATE_CANARY" not in p.read_text(errors="replace") for p in cached)


def test_a_directory_others_cannot_enter_is_refused(tmp_path: Path) -> None:
    project = _project(tmp_path / "project")
    (project / "pkg").chmod(0o700)
    _refused(project, r"pkg is a directory others cannot read \(mode 0700\)")
    top = _project(tmp_path / "top")
    top.chmod(0o750)
    _refused(top, r"\. is a directory others cannot read \(mode 0750\)")


def test_a_fifo_is_refused_instead_of_blocking_the_copy(tmp_path: Path) -> None:
    project = _project(tmp_path / "project")
    os.mkfifo(project / "pipe")
    _refused(project, r"pipe is not a regular file, directory or symlink")
