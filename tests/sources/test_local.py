"""Local sources: copied into the cache read-only, keyed by their content."""

from __future__ import annotations

from pathlib import Path

from asebench.dataset.schema import LocalSource
from asebench.sources import fetch_tree


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
