"""A workspace: the read-only cached base plus the files one sample changed."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from asebench.cache import CACHE_ENV
from asebench.checks.sandbox.bwrap import run_sandboxed
from asebench.sources.local import fetch_directory
from asebench.workspace import Workspace, overlay_supported

needs_overlay = pytest.mark.skipif(
    not overlay_supported(), reason="overlay mounts need root and a kernel that allows them"
)


def mount_points() -> set[str]:
    with open("/proc/self/mountinfo", encoding="utf-8") as mounts:
        return {line.split()[4] for line in mounts}


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
def workspace(base: Path, tmp_path: Path) -> Iterator[Workspace]:
    workspace = Workspace(base, tmp_path / "sample-1")
    yield workspace
    workspace.remove()  # unmounts any overlay first


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
    tree = workspace.materialise(overlay=False)
    assert os.path.samefile(tree / "app" / "models.py", base / "app" / "models.py")
    assert not os.path.samefile(tree / "app" / "views.py", base / "app" / "views.py")
    assert (tree / "app" / "views.py").read_text() == "changed\n"
    assert (tree / "setup.py").read_text() == "setup()\n"


@pytest.mark.parametrize("overlay", [False, None])
def test_materialised_directories_are_open_to_every_user(
    workspace: Workspace, overlay: bool | None
) -> None:
    tree = workspace.materialise(overlay=overlay)
    assert tree.stat().st_mode & 0o777 == 0o777
    assert (tree / "app").stat().st_mode & 0o777 == 0o777


def test_materialise_without_hard_links_copies(workspace: Workspace, base: Path) -> None:
    tree = workspace.materialise(hardlink=False, overlay=False)
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
    # fetching refuses such a tree (tests/sources); the workspace is the second line of defence
    workspace = Workspace(project, tmp_path / "sample")
    workspace.write("lib/sub/evil.py", "x = 1\n")
    with pytest.raises(ValueError, match="link leaving the tree"):
        workspace.materialise()
    assert list(outside.iterdir()) == []


@needs_overlay
def test_overlay_shows_the_base_with_the_changed_files_on_top(
    workspace: Workspace, base: Path
) -> None:
    workspace.write("app/views.py", "changed\n")
    workspace.write("app/extra/helpers.py", "x = 1\n")
    tree = workspace.materialise(overlay=True)
    assert str(tree) in mount_points()
    assert (tree / "app" / "views.py").read_text() == "changed\n"
    assert (tree / "app" / "extra" / "helpers.py").read_text() == "x = 1\n"
    assert (tree / "app" / "models.py").read_text() == "class Model: ...\n"
    assert sorted(p.name for p in tree.iterdir()) == ["app", "setup.py"]
    assert (tree / "app" / "extra").stat().st_mode & 0o777 == 0o777


@needs_overlay
def test_overlay_writes_never_reach_the_base_even_as_root(
    workspace: Workspace, base: Path
) -> None:
    workspace.write("app/views.py", "changed\n")
    tree = workspace.materialise(overlay=True)
    with open(tree / "app" / "models.py", "a") as stream:
        stream.write("# appended by root\n")
    (tree / "app" / "views.py").write_text("rewritten\n")
    (tree / "setup.py").unlink()
    (tree / "app" / "new.py").write_text("new\n")
    assert (tree / "app" / "models.py").read_text().endswith("# appended by root\n")
    assert (base / "app" / "models.py").read_text() == "class Model: ...\n"
    assert (base / "setup.py").read_text() == "setup()\n"
    assert not (base / "app" / "new.py").exists()
    assert workspace.read("app/views.py") == "changed\n"


@needs_overlay
def test_sandboxed_code_may_add_files_anywhere_but_not_change_base_files(
    workspace: Workspace, base: Path
) -> None:
    tree = workspace.materialise(overlay=True)
    result = run_sandboxed(
        ["sh", "-c", "echo x > app/new.py && rm setup.py && echo x >> app/models.py"],
        workspace=tree,
    )
    assert "Permission denied" in result.stderr
    assert (tree / "app" / "new.py").read_text() == "x\n"
    assert not (tree / "setup.py").exists()
    assert (base / "setup.py").exists()
    assert (base / "app" / "models.py").read_text() == "class Model: ...\n"


@needs_overlay
def test_materialise_again_replaces_the_mount(workspace: Workspace) -> None:
    tree = workspace.materialise(overlay=True)
    (tree / "leftover.txt").write_text("from an earlier run\n")
    assert workspace.materialise(overlay=True) == tree
    assert not (tree / "leftover.txt").exists()
    assert sum(point == str(tree) for point in mount_points()) == 1
    assert workspace.materialise(overlay=False) == tree
    assert str(tree) not in mount_points()


@needs_overlay
def test_remove_unmounts_before_deleting(workspace: Workspace, base: Path) -> None:
    workspace.write("app/views.py", "changed\n")
    tree = workspace.materialise(overlay=True)
    workspace.remove()
    assert str(tree) not in mount_points()
    assert not workspace.directory.exists()
    assert (base / "app" / "views.py").read_text() == "def view():\n    return 1\n"


@needs_overlay
def test_leaving_the_context_unmounts(base: Path, tmp_path: Path) -> None:
    with Workspace(base, tmp_path / "sample") as workspace:
        tree = workspace.materialise(overlay=True)
        assert str(tree) in mount_points()
    assert str(tree) not in mount_points()
    workspace.remove()


def test_overlay_false_builds_a_plain_tree(workspace: Workspace) -> None:
    workspace.write("app/views.py", "changed\n")
    tree = workspace.materialise(overlay=False)
    assert str(tree) not in mount_points()
    assert (tree / "app" / "views.py").read_text() == "changed\n"
    assert (tree / "app" / "models.py").read_text() == "class Model: ...\n"


@pytest.mark.skipif(overlay_supported(), reason="overlay mounts work here")
def test_insisting_on_an_overlay_without_one_fails(workspace: Workspace) -> None:
    with pytest.raises(OSError, match="no overlay"):
        workspace.materialise(overlay=True)


@needs_overlay
def test_a_crashing_process_leaves_no_mount(base: Path, tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from asebench.workspace import Workspace\n"
        "tree = Workspace(Path(sys.argv[1]), Path(sys.argv[2])).materialise(overlay=True)\n"
        "print(tree, flush=True)\n"
        "raise RuntimeError('crash mid-run')\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, str(base), str(tmp_path / "sample")],
        capture_output=True, text=True, check=False,
    )
    assert "crash mid-run" in run.stderr
    assert run.stdout.strip() == str(tmp_path / "sample" / "tree")
    assert run.stdout.strip() not in mount_points()


@needs_overlay
def test_a_failed_mount_falls_back_to_the_farm_and_leaves_no_mount(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a ':' in the skeleton's path splits the lowerdir option: the kernel refuses the mount
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache:with-colon"))
    workspace.write("app/views.py", "changed\n")
    with pytest.raises(OSError, match="overlay mount failed"):
        workspace.materialise(overlay=True)
    tree = workspace.materialise()
    assert str(tree) not in mount_points()
    assert (tree / "app" / "views.py").read_text() == "changed\n"
    assert list((workspace.directory / "overlay").iterdir()) == []
