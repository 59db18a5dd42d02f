"""The `/workspace` quota: writes past it fail with ENOSPC and the result says so; writes
within it end up in the workspace exactly as the command left them. Real bubblewrap."""

from __future__ import annotations

import os
from pathlib import Path

import anyio
import pytest

from asebench.checks.sandbox.bwrap import run_sandboxed
from asebench.checks.sandbox.inspect_provider import BwrapSandboxConfig, BwrapSandboxEnvironment
from asebench.checks.sandbox.limits import Limits

SMALL = Limits(wall_s=30.0, workspace_mb=8)
WORKSPACE_DISK_CASE = Path(__file__).parents[2] / ".." / "shared" / "cases" / "workspace-disk"


def test_writing_past_the_quota_fails_with_enospc_and_is_reported(tmp_path: Path) -> None:
    result = run_sandboxed(
        ["sh", "-c", "head -c 20M /dev/zero > big || echo refused; echo done"],
        workspace=tmp_path, limits=SMALL,
    )
    assert "No space left on device" in result.stderr
    assert result.stdout == "refused\ndone\n"
    assert result.workspace_full
    assert result.killed_reason == "workspace quota exceeded"
    assert not result.success
    assert 7 * 2**20 < (tmp_path / "big").stat().st_size <= 8 * 2**20


def test_too_many_files_also_fill_the_quota(tmp_path: Path) -> None:
    limits = Limits(wall_s=30.0, workspace_mb=8, workspace_files=50)
    result = run_sandboxed(
        ["sh", "-c", "for i in $(seq 100); do touch f$i || exit 3; done"],
        workspace=tmp_path, limits=limits,
    )
    assert result.exit_code == 3
    assert result.workspace_full


def test_a_command_within_the_quota_is_not_flagged(tmp_path: Path) -> None:
    result = run_sandboxed(["sh", "-c", "head -c 1M /dev/zero > small"], workspace=tmp_path,
                           limits=SMALL)
    assert result.success and not result.workspace_full and result.killed_reason is None
    assert (tmp_path / "small").stat().st_size == 2**20


def test_the_command_changes_land_in_the_workspace(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("kept\n")
    (tmp_path / "gone.txt").write_text("deleted by the command\n")
    (tmp_path / "edit.txt").write_text("old\n")
    os.chmod(tmp_path / "edit.txt", 0o666)  # the sandbox runs as nobody
    (tmp_path / "replaced").mkdir()
    (tmp_path / "replaced" / "old.txt").write_text("old tree\n")
    script = (
        "rm gone.txt && echo new >> edit.txt && mkdir -p a/b && echo deep > a/b/c.txt"
        " && ln -s a/b/c.txt link && rm -r replaced && mkdir replaced"
        " && echo fresh > replaced/new.txt && chmod 0755 a/b/c.txt"
    )
    result = run_sandboxed(["sh", "-c", script], workspace=tmp_path, limits=SMALL)
    assert result.success, result.stderr
    assert (tmp_path / "keep.txt").read_text() == "kept\n"
    assert not (tmp_path / "gone.txt").exists()
    assert (tmp_path / "edit.txt").read_text() == "old\nnew\n"
    assert (tmp_path / "a" / "b" / "c.txt").read_text() == "deep\n"
    assert os.stat(tmp_path / "a" / "b" / "c.txt").st_mode & 0o777 == 0o755
    assert os.readlink(tmp_path / "link") == "a/b/c.txt"
    assert sorted(p.name for p in (tmp_path / "replaced").iterdir()) == ["new.txt"]


def test_the_next_command_sees_what_the_last_one_wrote(tmp_path: Path) -> None:
    run_sandboxed(["sh", "-c", "echo first > note.txt"], workspace=tmp_path, limits=SMALL)
    result = run_sandboxed(["cat", "note.txt"], workspace=tmp_path, limits=SMALL)
    assert result.stdout == "first\n"


def test_a_hard_linked_file_is_replaced_not_written_through(tmp_path: Path) -> None:
    cache, workspace = tmp_path / "cache.txt", tmp_path / "workspace"
    workspace.mkdir()
    cache.write_text("cached\n")
    os.chmod(cache, 0o666)  # even writable, the cache copy must not change
    os.link(cache, workspace / "file.txt")
    result = run_sandboxed(["sh", "-c", "echo changed > file.txt"], workspace=workspace,
                           limits=SMALL)
    assert result.success, result.stderr
    assert (workspace / "file.txt").read_text() == "changed\n"
    assert cache.read_text() == "cached\n"


def test_what_was_written_before_a_timeout_is_kept(tmp_path: Path) -> None:
    result = run_sandboxed(
        ["sh", "-c", "echo partial > out.txt; sleep 30"],
        workspace=tmp_path, limits=Limits(wall_s=1.0, workspace_mb=8),
    )
    assert result.timed_out and result.killed_reason == "timeout"
    assert result.duration_s < 20
    assert (tmp_path / "out.txt").read_text() == "partial\n"


def test_without_a_quota_writes_go_straight_to_the_workspace(tmp_path: Path) -> None:
    result = run_sandboxed(["sh", "-c", "head -c 20M /dev/zero > big"], workspace=tmp_path,
                           limits=Limits(wall_s=30.0, workspace_mb=None))
    assert result.success and not result.workspace_full
    assert (tmp_path / "big").stat().st_size == 20 * 2**20


async def _provider_session() -> tuple[str, bool, str, bool]:
    config = BwrapSandboxConfig(workspace_mb=4)
    environments = await BwrapSandboxEnvironment.sample_init("t", config, {})
    box = environments["default"]
    assert isinstance(box, BwrapSandboxEnvironment)
    try:
        await box.write_file("candidate.py", "print('candidate')\n")
        ran = await box.exec(["python", "candidate.py"])
        flood = await box.exec(["sh", "-c", "head -c 10M /dev/zero > big; true"])
    finally:
        await BwrapSandboxEnvironment.sample_cleanup("t", config, environments, False)
    return ran.stdout, ran.success, flood.stderr, flood.success


def test_the_inspect_provider_keeps_written_files_and_reports_a_full_quota() -> None:
    ran, ran_ok, flood_stderr, flood_ok = anyio.run(_provider_session)
    assert (ran, ran_ok) == ("candidate\n", True)
    assert not flood_ok
    assert "/workspace quota (4 MiB) exceeded" in flood_stderr


def test_the_shared_workspace_disk_case_writes_no_more_than_the_quota(tmp_path: Path) -> None:
    """`cases/workspace-disk/run.sh` wrote 2.1 GB; its command now stops at the quota."""
    script = WORKSPACE_DISK_CASE / "run.sh"
    if not script.is_file():
        pytest.skip(f"{script} is not here (the shared cases live beside the repository)")
    assert "head -c 700M /dev/zero" in script.read_text()
    command = "for i in 1 2 3; do head -c 700M /dev/zero > big$i || echo refused $i; done"
    result = run_sandboxed(["sh", "-c", command], workspace=tmp_path,
                           limits=Limits(wall_s=60.0, workspace_mb=64))
    assert result.stdout == "refused 1\nrefused 2\nrefused 3\n"
    assert result.killed_reason == "workspace quota exceeded"
    written = sum(path.stat().st_size for path in tmp_path.iterdir())
    assert written <= 64 * 2**20
