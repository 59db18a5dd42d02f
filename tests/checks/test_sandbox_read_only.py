"""`run_sandboxed(read_only=...)`: host directories shown read-only at their own path."""

from __future__ import annotations

from pathlib import Path

import pytest

from asebench.checks.sandbox.bwrap import run_sandboxed


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    path = tmp_path / "workspace"
    path.mkdir()
    return path


def test_a_read_only_directory_is_readable_at_its_own_path_and_not_writable(
    tmp_path: Path, workspace: Path
) -> None:
    shown = tmp_path / "shown"
    shown.mkdir()
    (shown / "data.txt").write_text("visible\n")
    script = f"cat {shown}/data.txt; touch {shown}/new 2>/dev/null && echo wrote || echo refused"

    result = run_sandboxed(["sh", "-c", script], workspace=workspace, read_only=[shown])

    assert result.stdout.split() == ["visible", "refused"]
    assert not (shown / "new").exists()


@pytest.mark.parametrize("directory", ["/", "/tmp", "/workspace/x", "/proc/1"])
def test_a_directory_that_would_cover_the_sandboxs_own_mounts_is_refused(
    workspace: Path, directory: str
) -> None:
    with pytest.raises(ValueError, match="read-only directory"):
        run_sandboxed(["true"], workspace=workspace, read_only=[Path(directory)])
