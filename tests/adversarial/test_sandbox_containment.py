"""What sandboxed code cannot do: every escape attempt is contained and reported.

Real bubblewrap, real processes; each test tries one thing a hostile PoC or answer might do.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from asebench.checks.protocol import read_native
from asebench.checks.sandbox.bwrap import run_sandboxed
from asebench.checks.sandbox.cgroup import PARENT, hierarchies
from asebench.checks.sandbox.limits import Limits
from asebench.owner import Owner

AS_ROOT = os.geteuid() == 0


def python(code: str) -> list[str]:
    return ["python", "-c", code]


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    path = tmp_path / "workspace"
    path.mkdir()
    return path


def test_runs_in_workspace_as_nobody_without_capabilities(workspace: Path) -> None:
    result = run_sandboxed(
        ["sh", "-c", "id -u; pwd; grep CapEff /proc/self/status"], workspace=workspace
    )
    uid, cwd, caps = result.stdout.splitlines()
    assert result.exit_code == 0
    assert uid == ("65534" if AS_ROOT else str(os.geteuid()))
    assert cwd == "/workspace"
    assert caps.split() == ["CapEff:", "0000000000000000"]


def test_workspace_is_writable_and_changes_persist(workspace: Path) -> None:
    result = run_sandboxed(["sh", "-c", "echo built > out.txt"], workspace=workspace)
    assert result.exit_code == 0
    assert (workspace / "out.txt").read_text() == "built\n"


@pytest.mark.parametrize("target", ["/usr/pwned", "/etc/passwd", "/pwned", "/instance/pwned"])
def test_cannot_write_outside_the_workspace(workspace: Path, tmp_path: Path, target: str) -> None:
    instance = tmp_path / "instance"
    instance.mkdir()
    result = run_sandboxed(
        python(f"open({target!r}, 'a').write('x')"), workspace=workspace, instance_dir=instance
    )
    assert result.exit_code != 0
    assert "Error" in result.stderr
    assert list(instance.iterdir()) == []
    assert not Path("/usr/pwned").exists()
    assert not Path("/pwned").exists()


def test_host_directories_outside_the_mounts_are_absent(workspace: Path, tmp_path: Path) -> None:
    neighbour = tmp_path / "neighbour.txt"
    neighbour.write_text("not for the sandbox")
    result = run_sandboxed(["cat", str(neighbour)], workspace=workspace)
    assert result.exit_code != 0
    assert "No such file" in result.stderr


@pytest.fixture
def home_secret() -> Iterator[Path]:
    secret = Path.home() / f".asebench-test-secret-{uuid.uuid4().hex}"
    secret.write_text("host secret")
    yield secret
    secret.unlink()


def test_cannot_read_the_host_home(workspace: Path, home_secret: Path) -> None:
    probe = (
        "import os\n"
        f"print(os.path.exists({str(home_secret)!r}))\n"
        "print(os.path.exists('/home'))\n"
        "print(sorted(os.listdir('/root')) if os.path.isdir('/root') else [])\n"
    )
    result = run_sandboxed(python(probe), workspace=workspace)
    secret_seen, home_seen, root_listing = result.stdout.splitlines()
    assert result.exit_code == 0
    assert secret_seen == "False"
    assert home_seen == "False"
    assert home_secret.name not in root_listing


@pytest.fixture
def host_listener() -> Iterator[socket.socket]:
    """A real server socket on the host's loopback."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    yield server
    server.close()


def test_cannot_reach_a_server_on_the_host_loopback(
    workspace: Path, host_listener: socket.socket
) -> None:
    port = host_listener.getsockname()[1]
    probe = (
        "import socket\n"
        "try:\n"
        f"    socket.create_connection(('127.0.0.1', {port}), timeout=3)\n"
        "    print('connected')\n"
        "except OSError as exc:\n"
        "    print(type(exc).__name__)\n"
    )
    result = run_sandboxed(python(probe), workspace=workspace)
    assert result.stdout.strip() == "ConnectionRefusedError"
    with pytest.raises(TimeoutError):
        host_listener.accept()


def test_has_no_route_to_any_other_host(workspace: Path) -> None:
    probe = (
        "import socket\n"
        "try:\n"
        "    socket.create_connection(('192.0.2.1', 80), timeout=3)\n"
        "    print('connected')\n"
        "except OSError as exc:\n"
        "    print(exc.strerror)\n"
    )
    result = run_sandboxed(python(probe), workspace=workspace)
    assert result.stdout.strip() == "Network is unreachable"


def test_infinite_loop_hits_the_wall_timeout_and_is_an_infrastructure_error(
    workspace: Path,
) -> None:
    result = run_sandboxed(
        python("while True: pass"), workspace=workspace, limits=Limits(wall_s=1.0)
    )
    reading = read_native(result, "poc")
    assert result.timed_out
    assert result.killed_reason == "timeout"
    assert reading.verdict is None
    assert reading.error is not None and "timed out" in reading.error


def _processes_with(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if marker.encode() in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def test_fork_bomb_is_capped_and_leaves_nothing_behind(workspace: Path) -> None:
    marker = f"forkbomb-{uuid.uuid4().hex}"
    bomb = f"b() {{ b | b & }}; b; sleep 30 # {marker}"
    result = run_sandboxed(
        ["bash", "-c", bomb], workspace=workspace, limits=Limits(wall_s=2.0, processes=64)
    )
    assert result.timed_out
    assert "Resource temporarily unavailable" in result.stderr
    assert _processes_with(marker) == []


def test_memory_bomb_fails_inside_the_sandbox(workspace: Path) -> None:
    bomb = "chunks = []\nwhile True: chunks.append(bytearray(16 * 1024 * 1024))"
    result = run_sandboxed(python(bomb), workspace=workspace, limits=Limits(memory_mb=256))
    reading = read_native(result, "poc")
    assert result.exit_code != 0
    assert "MemoryError" in result.stderr
    assert reading.verdict is None and reading.error is not None


def test_cpu_time_limit_kills_a_busy_process(workspace: Path) -> None:
    result = run_sandboxed(
        python("while True: pass"), workspace=workspace, limits=Limits(cpu_s=1, wall_s=20)
    )
    assert not result.timed_out
    assert result.killed_reason == "cpu time limit"


@pytest.fixture
def cached_source(tmp_path: Path) -> Path:
    """A read-only, root-style source cache (files 0444, directories 0555)."""
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "app.py").write_text("SAFE = True\n")
    (cache / "app.py").chmod(0o444)
    cache.chmod(0o555)
    return cache


def test_cannot_change_or_delete_the_source_cache_through_hard_links(
    workspace: Path, cached_source: Path
) -> None:
    os.link(cached_source / "app.py", workspace / "app.py")
    attack = (
        "import os\n"
        "for attempt in (lambda: open('app.py', 'w'), lambda: os.chmod('app.py', 0o666),\n"
        "                lambda: os.truncate('app.py', 0)):\n"
        "    try:\n"
        "        attempt()\n"
        "        print('changed')\n"
        "    except PermissionError:\n"
        "        print('denied')\n"
        "os.remove('app.py')\n"
        "open('app.py', 'w').write('SAFE = False\\n')\n"
    )
    result = run_sandboxed(python(attack), workspace=workspace)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.split() == ["denied", "denied", "denied"]
    assert (cached_source / "app.py").read_text() == "SAFE = True\n"
    assert (workspace / "app.py").read_text() == "SAFE = False\n"


@pytest.fixture
def host_sleeper() -> Iterator[subprocess.Popen[bytes]]:
    """A host process owned by the sandbox's own uid (so only the pid namespace protects it)."""
    prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if AS_ROOT else []
    process = subprocess.Popen([*prefix, "sleep", "60"])
    yield process
    process.kill()
    process.wait()


def test_cannot_see_or_kill_host_processes(
    workspace: Path, host_sleeper: subprocess.Popen[bytes]
) -> None:
    attack = f"kill -9 {host_sleeper.pid}; echo $?; kill -9 -1; ls /proc | grep -c '^[0-9]'"
    result = run_sandboxed(["sh", "-c", attack], workspace=workspace)
    assert result.stdout.splitlines()[0] != "0"
    assert host_sleeper.poll() is None


def _our_groups() -> list[Path]:
    """The sandbox cgroups this test process made that still exist (other processes on this
    machine may run sandboxes of their own meanwhile)."""
    tag = Owner.current().tag
    return [group for where in hierarchies().values() if (where.root / PARENT).is_dir()
            for group in (where.root / PARENT).iterdir() if group.name.startswith(tag)]


@pytest.mark.skipif("pids" not in hierarchies(), reason="needs root and a pids cgroup")
def test_a_fork_bomb_does_not_starve_a_sandbox_running_beside_it(workspace: Path,
                                                                  tmp_path: Path) -> None:
    bomb = "b() { b | b & }; b; sleep 30"
    with ThreadPoolExecutor(max_workers=1) as pool:
        bombing = pool.submit(run_sandboxed, ["bash", "-c", bomb], workspace=workspace,
                              limits=Limits(wall_s=6.0, processes=64))
        time.sleep(2.0)  # the bomb has filled its own cgroup by now
        other = tmp_path / "other"
        other.mkdir()
        neighbour = run_sandboxed(
            ["bash", "-c", "for i in $(seq 40); do sleep 0.2 & done; wait; echo done"],
            workspace=other, limits=Limits(wall_s=20.0, processes=64))
        assert bombing.result().timed_out
    assert neighbour.exit_code == 0, neighbour.stderr
    assert neighbour.stdout.strip() == "done"
    assert _our_groups() == []


needs_memory_cgroup = pytest.mark.skipif(
    "memory" not in hierarchies(), reason="needs root and a memory cgroup")

CHILDREN_HOLDING = (
    "import os, sys, time\n"
    "for _ in range(3):\n"
    "    if os.fork() == 0:\n"
    "        block = bytearray({mb} * 1024 * 1024)\n"
    "        block[::4096] = b'x' * len(block[::4096])\n"
    "        time.sleep(20)\n"
    "        os._exit(0)\n"
    "time.sleep(4)\n"
    "print('{{\"verdict\": \"safe\"}}')\n"
)
"""Three children each holding `mb` MB (touched, so it is really used), then a verdict."""


@needs_memory_cgroup
def test_memory_of_all_processes_together_is_capped(workspace: Path) -> None:
    # each child stays under the per-process limit (RLIMIT_DATA); together they pass it
    result = run_sandboxed(python(CHILDREN_HOLDING.format(mb=150)), workspace=workspace,
                           limits=Limits(memory_mb=256, wall_s=30))
    assert result.out_of_memory
    assert result.killed_reason == "out of memory"
    assert "memory" in result.containment
    assert result.duration_s < 20  # killed at the limit, not at the children's end


@needs_memory_cgroup
def test_running_out_of_memory_is_the_candidates_failure(workspace: Path) -> None:
    result = run_sandboxed(python(CHILDREN_HOLDING.format(mb=150)), workspace=workspace,
                           limits=Limits(memory_mb=256, wall_s=30))
    reading = read_native(result, "poc")
    assert not result.success
    assert "verdict" not in result.stdout  # the whole sandbox died, the parent too
    assert reading.verdict is None
    assert reading.error is not None and "out of memory" in reading.error


@needs_memory_cgroup
def test_processes_within_the_memory_limit_run_normally(workspace: Path) -> None:
    result = run_sandboxed(python(CHILDREN_HOLDING.format(mb=30).replace("20", "1")),
                           workspace=workspace, limits=Limits(memory_mb=256, wall_s=30))
    assert result.exit_code == 0, result.stderr
    assert not result.out_of_memory and result.killed_reason is None
    assert read_native(result, "poc").verdict == "safe"


@needs_memory_cgroup
def test_workspace_changes_made_before_running_out_of_memory_are_kept(workspace: Path) -> None:
    command = "open('kept.txt', 'w').write('before\\n')\n" + CHILDREN_HOLDING.format(mb=150)
    result = run_sandboxed(python(command), workspace=workspace,
                           limits=Limits(memory_mb=256, wall_s=30))
    assert result.killed_reason == "out of memory", result.stderr
    assert (workspace / "kept.txt").read_text() == "before\n"


def test_without_a_memory_cgroup_memory_stays_per_process(
    workspace: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A host without a memory controller (simulated by hiding it): the sandbox still runs,
    says what contained it, and the log says once what could not be contained."""
    from asebench.checks.sandbox import cgroup

    present = {name: where for name, where in hierarchies().items() if name != "memory"}
    monkeypatch.setattr(cgroup, "hierarchies", lambda: present)
    cgroup._note_missing.cache_clear()
    with caplog.at_level("WARNING", logger=cgroup.__name__):
        first = run_sandboxed(["true"], workspace=workspace)
        second = run_sandboxed(["true"], workspace=workspace)
    assert first.exit_code == second.exit_code == 0
    assert "memory" not in first.containment
    notes = [record.getMessage() for record in caplog.records]
    assert len(notes) == 1 and "memory" in notes[0] and "RLIMIT_DATA" in notes[0]
