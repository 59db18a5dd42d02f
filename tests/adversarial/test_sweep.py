"""`asebench clean` removes what a killed run left (cgroups, overlay mounts, workspaces,
temporary files, processes still running in its sandboxes) and nothing of a live run.

Real processes: each "run" is a Python process that builds a workspace with an overlay tree
and runs a sandboxed command in it, then waits; one is killed with SIGKILL, one stays alive.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from asebench.checks.sandbox.cgroup import PARENT, hierarchies
from asebench.mounts import overlay_mounts, overlay_supported
from asebench.owner import Owner, mark, start_time
from asebench.sweep import sweep

SRC = Path(__file__).parents[2] / "src"
RUN = """
import sys, tempfile, threading, time
from pathlib import Path
from asebench.checks.sandbox import cgroup
from asebench.checks.sandbox.bwrap import run_sandboxed
from asebench.checks.sandbox.limits import Limits
from asebench.owner import Owner
from asebench.workspace import Workspace

base, marker = Path(sys.argv[1]), sys.argv[2]
workspace = Workspace(base, Path(tempfile.mkdtemp(prefix="asebench-sample-")))
workspace.write("app.py", "CHANGED = True\\n")
tree = workspace.materialise(overlay=True)
threading.Thread(target=run_sandboxed, args=(["sh", "-c", "sleep 120; : " + marker],),
                 kwargs={"workspace": tree, "limits": Limits(wall_s=120)}, daemon=True).start()
tag = Owner.current().tag
def sandbox_running():
    return any((parent / name / "cgroup.procs").read_text().strip()
               for parent in cgroup.parents() if parent.is_dir()
               for name in (path.name for path in parent.iterdir()) if name.startswith(tag))
while not sandbox_running():
    time.sleep(0.05)
print(workspace.directory, tree, flush=True)
time.sleep(300)
"""

needs_root_resources = pytest.mark.skipif(
    not overlay_supported() or "pids" not in hierarchies(),
    reason="needs root, overlay mounts and a pids cgroup")


@dataclass
class Run:
    """A run process and what it made: its workspace directory and overlay tree."""

    process: subprocess.Popen[str]
    owner: Owner
    directory: Path
    tree: Path
    marker: str

    def groups(self) -> list[Path]:
        return [group for where in hierarchies().values() if (where.root / PARENT).is_dir()
                for group in (where.root / PARENT).iterdir()
                if group.name.startswith(self.owner.tag)]

    def mounted(self) -> bool:
        return any(point == str(self.tree) for point, _upper in overlay_mounts())

    def sandboxed_processes(self) -> list[int]:
        return _processes_with(self.marker)


def _processes_with(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and marker.encode() in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.fixture
def temp_root(tmp_path: Path) -> Path:
    root = tmp_path / "tmp"
    root.mkdir()
    return root


@pytest.fixture
def start_run(tmp_path: Path, temp_root: Path) -> Iterator[Callable[[], Run]]:
    base = tmp_path / "project"
    base.mkdir()
    (base / "app.py").write_text("CHANGED = False\n")
    env = {**os.environ, "TMPDIR": str(temp_root), "ASEBENCH_CACHE": str(tmp_path / "cache"),
           "PYTHONPATH": str(SRC)}
    runs: list[Run] = []

    def start() -> Run:
        marker = f"sweep-test-{uuid.uuid4().hex}"
        process = subprocess.Popen([sys.executable, "-c", RUN, str(base), marker], env=env,
                                   stdout=subprocess.PIPE, text=True)
        assert process.stdout is not None
        directory, tree = process.stdout.readline().split()
        start = start_time(process.pid)
        assert start is not None
        run = Run(process, Owner(process.pid, start), Path(directory), Path(tree), marker)
        runs.append(run)
        return run

    yield start
    for run in runs:
        run.process.kill()
        run.process.wait()
    sweep(temp_root)


def _clean(temp_root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TMPDIR": str(temp_root), "PYTHONPATH": str(SRC)}
    return subprocess.run([sys.executable, "-m", "asebench.cli", "clean"], env=env, text=True,
                          capture_output=True, timeout=120)


@needs_root_resources
def test_clean_removes_what_a_killed_run_left_and_keeps_a_live_runs(
    start_run: Callable[[], Run], temp_root: Path
) -> None:
    killed, alive = start_run(), start_run()
    for run in (killed, alive):
        assert run.groups() and run.mounted() and run.directory.is_dir()
        assert run.sandboxed_processes()
    killed.process.send_signal(signal.SIGKILL)
    killed.process.wait()
    assert killed.groups() and killed.mounted()  # nothing cleans up after SIGKILL

    done = _clean(temp_root)

    assert done.returncode == 0, done.stdout + done.stderr
    assert killed.groups() == []
    assert not killed.mounted()
    assert not killed.directory.exists()
    assert killed.sandboxed_processes() == []
    assert [path.name for path in temp_root.iterdir()
            if killed.owner.tag in path.name] == []  # the sandbox's status file too
    assert alive.groups() and alive.mounted() and alive.directory.is_dir()
    assert alive.sandboxed_processes()
    assert alive.process.poll() is None
    assert f"removed workspace {killed.directory}" in done.stdout


def test_a_workspace_whose_owner_is_gone_is_removed(temp_root: Path) -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    left = temp_root / "asebench-sample-left"
    left.mkdir()
    (left / "changed").mkdir()
    (left / ".asebench-owner").write_text(f"o{gone.stdout.strip()}-1\n")

    report = sweep(temp_root)

    assert not left.exists()
    assert report.removed == [f"workspace {left}"]


def test_a_live_owners_workspace_and_unmarked_directories_stay(temp_root: Path) -> None:
    ours = temp_root / "asebench-sample-ours"
    ours.mkdir()
    mark(ours)
    unknown = temp_root / "asebench-scan-unknown"
    unknown.mkdir()

    report = sweep(temp_root)

    assert ours.is_dir() and unknown.is_dir()
    assert report.removed == [] and report.failed == []
    # other live runs on this machine (their cgroups) may be kept as well: look at ours
    kept_here = [k for k in report.kept if str(temp_root) in k]
    assert kept_here == [f"workspace {ours} (process {os.getpid()} runs)"]


def test_a_reused_pid_does_not_keep_a_leftover(temp_root: Path) -> None:
    """The marker names this very pid but an earlier start time: another process, gone."""
    left = temp_root / "asebench-sample-reused"
    left.mkdir()
    me = Owner.current()
    (left / ".asebench-owner").write_text(f"o{me.pid}-{me.start - 1}\n")

    sweep(temp_root)

    assert not left.exists()


def test_a_gone_quota_helpers_empty_mount_point_is_removed(temp_root: Path) -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    left = temp_root / f"asebench-quota-{gone}-123456"
    live = temp_root / f"asebench-quota-{os.getpid()}-123456"
    left.mkdir()
    live.mkdir()

    sweep(temp_root)

    assert not left.exists()
    assert live.is_dir()
