"""A size quota on `/workspace`: one command's writes land on a bounded tmpfs, then in the tree.

Why this way: the workspace is a host directory on an unbounded disk, and a candidate wrote
2.1 GB into it in 6 s. A quota helper starts first, in a mount namespace of its own (as root
`unshare --mount`; not root `unshare --user --map-root-user --mount`, where the kernel lets
an unprivileged user mount tmpfs and overlayfs): it mounts a tmpfs of `Limits.workspace_mb`
and, over the workspace, an overlay whose writable layer is on that tmpfs. The sandbox binds
the workspace as before, so every write of the command goes to the tmpfs, and a write past the
quota fails with ENOSPC. When the command ends (or is killed at the wall-clock limit), the
helper notes whether the quota was full, unmounts the overlay and applies the changes to the
real workspace (`upper_merge`), so files persist between commands as they did without a quota.
The mounts live only in the helper's namespace: nothing is left mounted on the host, whatever
happens to the helper.

Neither bubblewrap 0.8 (no overlay options) nor a tmpfs alone would do: a tmpfs `/workspace`
would need the project copied in and out for every command. The quota bounds what one command
adds (written bytes, including files copied up to be changed, and `workspace_files` inodes);
commands one after another may each add up to it. The tmpfs is memory: the quota is also what a
command may cost in RAM.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from asebench.checks.sandbox.limits import MIB, Limits
from asebench.checks.sandbox.upper_merge import apply_upper
from asebench.mounts import mount_overlay, mount_tmpfs, unmount

SETUP_FAILED = 125
OVERLAY_OPTIONS = ("redirect_dir=nofollow", "metacopy=off", "index=off")
"""Renamed directories copied whole and every changed file complete in the upper layer (no
redirects, no metadata-only copies): what `upper_merge` needs. Accepted as root and in a user
namespace (where `redirect_dir=off` is refused)."""
_BOOT = "import sys; sys.path.insert(0, sys.argv.pop(1)); " \
        "from asebench.checks.sandbox.workspace_quota import main; sys.exit(main(sys.argv[1:]))"


@dataclass(frozen=True)
class QuotaStatus:
    """What the quota helper saw: `full` when no byte or inode was left at the end (so at
    least one write failed with ENOSPC); `used_bytes` the command's writes; `timed_out` when it
    killed the command at the wall-clock limit; `error` when it could not set the quota up."""

    full: bool = False
    used_bytes: int = 0
    timed_out: bool = False
    error: str | None = None


def quota_argv(argv: Sequence[str], *, workspace: Path, limits: Limits, status: Path) -> list[str]:
    """`argv` (the sandbox command line) run under the quota helper for `workspace`.

    The helper writes its `QuotaStatus` to `status` as JSON and exits as `argv` did.
    """
    assert limits.workspace_mb is not None
    unshare = ["unshare", "--mount", "--propagation", "private"]
    if os.geteuid() != 0:
        unshare[1:1] = ["--user", "--map-root-user"]
    source_root = str(Path(__file__).resolve().parents[3])
    return [
        *unshare, sys.executable, "-I", "-S", "-c", _BOOT, source_root,
        "--size", str(limits.workspace_mb * MIB), "--inodes", str(limits.workspace_files),
        "--deadline", repr(limits.wall_s), "--workspace", str(workspace),
        "--status", str(status), "--userns", "1" if os.geteuid() != 0 else "0",
        "--", *argv,
    ]


def read_status(path: Path) -> QuotaStatus | None:
    """The helper's `QuotaStatus`, or None when it wrote none (it could not start)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "null")
    except (OSError, json.JSONDecodeError):
        return None
    if not isinstance(data, dict):
        return None
    return QuotaStatus(
        full=bool(data.get("full")),
        used_bytes=int(data.get("used_bytes", 0)),
        timed_out=bool(data.get("timed_out")),
        error=data.get("error"),
    )


def main(args: Sequence[str]) -> int:
    """The helper, run inside its own mount namespace: quota, run, apply the changes.

    `args` are `quota_argv`'s options, `--`, then the command. Returns the command's exit
    code (dies of its signal if a signal ended it), or `SETUP_FAILED` when the quota could not
    be mounted (the command did not run; the status says why).
    """
    options, command = _parse(args)
    workspace, status = Path(options["workspace"]), Path(options["status"])
    started = time.monotonic()
    scratch = Path(tempfile.mkdtemp(prefix="asebench-quota-"))
    try:
        mount_tmpfs(scratch, size_bytes=int(options["size"]), inodes=int(options["inodes"]))
        upper, work = scratch / "upper", scratch / "work"
        upper.mkdir()
        work.mkdir()
        top = os.stat(workspace)  # the merged root shows the upper root: same owner and mode
        os.chown(upper, top.st_uid, top.st_gid)
        os.chmod(upper, top.st_mode & 0o7777)
        extra = [*OVERLAY_OPTIONS, "userxattr"] if options["userns"] == "1" else OVERLAY_OPTIONS
        lower = os.open(workspace, os.O_PATH | os.O_DIRECTORY)
        try:  # the lower layer through a descriptor: no path escaping in the options
            mount_overlay([f"/proc/self/fd/{lower}"], upper, work, workspace, options=extra)
        finally:
            os.close(lower)
    except OSError as exc:
        _write(status, QuotaStatus(error=f"cannot mount the workspace quota: {exc}"))
        _discard(scratch)
        return SETUP_FAILED
    deadline = float(options["deadline"]) - (time.monotonic() - started)
    returncode, timed_out = _run(command, deadline)
    usage = os.statvfs(scratch)
    full = usage.f_bavail == 0 or usage.f_favail == 0
    used = (usage.f_blocks - usage.f_bfree) * usage.f_frsize
    unmount(workspace)
    apply_upper(upper, workspace)
    _discard(scratch)
    _write(status, QuotaStatus(full=full, used_bytes=used, timed_out=timed_out))
    if returncode < 0:  # die as the command died, so the caller sees the same signal
        if -returncode not in (signal.SIGKILL, signal.SIGSTOP):  # those cannot be handled
            signal.signal(-returncode, signal.SIG_DFL)
        os.kill(os.getpid(), -returncode)
    return returncode


def _parse(args: Sequence[str]) -> tuple[dict[str, str], list[str]]:
    """(`--name value` options by name, the command after `--`)."""
    split = list(args).index("--")
    head, command = list(args[:split]), list(args[split + 1:])
    pairs = zip(head[::2], head[1::2], strict=True)
    return {key.removeprefix("--"): value for key, value in pairs}, command


def _run(command: list[str], timeout: float) -> tuple[int, bool]:
    """Run the sandbox (same stdio, a process group of its own); kill that group at the
    deadline (a uid change in the sandbox's start-up chain drops "die with parent", so
    killing its first process alone could leave the rest running)."""
    process = subprocess.Popen(command, process_group=0)
    try:
        return process.wait(timeout=max(timeout, 0.01)), False
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        return process.wait(), True


def _discard(scratch: Path) -> None:
    """Unmount and remove the tmpfs (it would go with the namespace anyway)."""
    try:
        unmount(scratch)
        scratch.rmdir()
    except OSError:
        pass


def _write(path: Path, status: QuotaStatus) -> None:
    path.write_text(json.dumps(asdict(status)), encoding="utf-8")
