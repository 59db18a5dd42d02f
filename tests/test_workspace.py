"""A workspace: the read-only cached base plus the files one sample changed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from asebench.cache import CACHE_ENV
from asebench.sources.local import fetch_directory
from asebench.workspace import Workspace


@pytest.fixture
def base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small project published read-only in a private cache."""
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    project = tmp_path / "project"
    (project / "app").mkdir(parents=True)
    (project / "app" / "views.py").write_text("def view():\n    return 1\n")
    (project / "app" / "models.py").write_text("class Model: ...\n")
    (project / "setup.py").write_text("setup()\n")
    return fetch_directory(project).root


@pytest.fixture
def workspace(base: Path, tmp_path: Path) -> Workspace:
    return Workspace(base, tmp_path / "sample-1")


def test_read_gives_the_base_until_a_file_is_written(workspace: Workspace) -> None:
    assert workspace.read("app/views.py") == "def view():\n    return 1\n"
    workspace.write("app/views.py", "def view():\n    return 2\n")
    assert workspace.read("app/views.py") == "def view():\n    return 2\n"


def test_path_points_at_the_changed_file_or_the_base(workspace: Workspace, base: Path) -> None:
    written = workspace.write("app/views.py", "changed\n")
    assert workspace.path("app/views.py") == written
    assert workspace.path("app/models.py") == base / "app" / "models.py"


def test_changed_lists_only_written_files(workspace: Workspace) -> None:
    assert workspace.changed() == {}
    written = workspace.write("app/views.py", "changed\n")
    assert workspace.changed() == {"app/views.py": written}


def test_writing_leaves_the_base_untouched(workspace: Workspace, base: Path) -> None:
    workspace.write("app/views.py", "changed\n")
    workspace.materialise()
    assert (base / "app" / "views.py").read_text() == "def view():\n    return 1\n"


def test_paths_leaving_the_tree_are_refused(workspace: Workspace) -> None:
    with pytest.raises(ValueError, match="relative path"):
        workspace.write("../outside.py", "x")
    with pytest.raises(ValueError, match="relative path"):
        workspace.read("/etc/passwd")


def test_materialise_links_unchanged_files_and_writes_changed_ones(
    workspace: Workspace, base: Path
) -> None:
    workspace.write("app/views.py", "changed\n")
    tree = workspace.materialise()
    assert os.path.samefile(tree / "app" / "models.py", base / "app" / "models.py")
    assert not os.path.samefile(tree / "app" / "views.py", base / "app" / "views.py")
    assert (tree / "app" / "views.py").read_text() == "changed\n"
    assert (tree / "setup.py").read_text() == "setup()\n"


def test_materialised_directories_are_open_to_every_user(workspace: Workspace) -> None:
    tree = workspace.materialise()
    assert tree.stat().st_mode & 0o777 == 0o777
    assert (tree / "app").stat().st_mode & 0o777 == 0o777


def test_materialise_without_hard_links_copies(workspace: Workspace, base: Path) -> None:
    tree = workspace.materialise(hardlink=False)
    assert not os.path.samefile(tree / "app" / "models.py", base / "app" / "models.py")
    assert (tree / "app" / "models.py").read_text() == "class Model: ...\n"


def test_new_files_land_in_new_directories(workspace: Workspace, tmp_path: Path) -> None:
    workspace.write("app/extra/helpers.py", "x = 1\n")
    tree = workspace.materialise(tmp_path / "elsewhere")
    assert (tree / "app" / "extra" / "helpers.py").read_text() == "x = 1\n"
    assert (tree / "app" / "extra").stat().st_mode & 0o777 == 0o777


def test_materialise_again_starts_from_a_fresh_tree(workspace: Workspace) -> None:
    tree = workspace.materialise()
    (tree / "leftover.txt").write_text("from an earlier run\n")
    assert not (workspace.materialise() / "leftover.txt").exists()


def test_remove_deletes_the_workspace_but_not_the_base(workspace: Workspace, base: Path) -> None:
    workspace.write("app/views.py", "changed\n")
    workspace.materialise()
    workspace.remove()
    assert not workspace.directory.exists()
    assert (base / "app" / "views.py").stat().st_mode & 0o777 == 0o444


def test_changed_file_is_never_written_through_a_link_leaving_the_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    outside = tmp_path / "outside"
    outside.mkdir()
    project = tmp_path / "project"
    project.mkdir()
    (project / "lib").symlink_to(outside)
    workspace = Workspace(fetch_directory(project).root, tmp_path / "sample")
    workspace.write("lib/sub/evil.py", "x = 1\n")
    with pytest.raises(ValueError, match="link leaving the tree"):
        workspace.materialise()
    assert list(outside.iterdir()) == []
