"""The workspace quota's helper program, run by `workspace_quota.quota_argv` inside a mount
namespace of its own: mount the bounded layer, run the sandbox, apply its changes.

It starts for every sandboxed command, so it imports only the standard library (and the two
modules here that use nothing else) and never `subprocess`: start-up is most of its cost.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from asebench.checks.sandbox.upper_merge import apply_upper
from asebench.mounts import mount_overlay, mount_tmpfs, unmount

SETUP_FAILED = 125
OVERLAY_OPTIONS = ("redirect_dir=nofollow", "metacopy=off", "index=off")
"""Renamed directories copied whole and every changed file complete in the upper layer (no
redirects, no metadata-only copies): what `upper_merge` needs. Accepted as root and in a user
namespace (where `redirect_dir=off` is refused)."""
SCRATCH_PREFIX = "/tmp/asebench-quota-"


def main(args: Sequence[str]) -> int:
    """The helper, run inside its own mount namespace: quota, run, apply the changes.

    `args` are `quota_argv`'s options, `--`, then the command. Returns the command's exit
    code (dies of its signal if a signal ended it), or `SETUP_FAILED` when the quota could not
    be mounted (the command did not run; the status says why). With `--keep 0` the changes
    are dropped instead of applied (a candidate's writes during a judged check).
    """
    options, command = _parse(args)
    workspace, status = Path(options["workspace"]), Path(options["status"])
    started = time.monotonic()
    scratch = Path(f"{SCRATCH_PREFIX}{os.getpid()}-{time.monotonic_ns()}")
    try:
        scratch.mkdir(mode=0o700)
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
        _write(status, error=f"cannot mount the workspace quota: {exc}")
        _discard(scratch)
        return SETUP_FAILED
    deadline = float(options["deadline"]) - (time.monotonic() - started)
    returncode, timed_out = _run(command, deadline)
    usage = os.statvfs(scratch)
    full = usage.f_bavail == 0 or usage.f_favail == 0
    used = (usage.f_blocks - usage.f_bfree) * usage.f_frsize
    unmount(workspace)
    if options.get("keep", "1") == "1":
        apply_upper(upper, workspace)
    _discard(scratch)
    _write(status, full=full, used_bytes=used, timed_out=timed_out)
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
    pid = os.posix_spawnp(command[0], command, os.environ, setpgroup=0)
    return wait_group(pid, timeout)


def wait_group(pid: int, timeout: float) -> tuple[int, bool]:
    """Wait for process `pid` (the leader of its own process group) and kill the whole group
    at the deadline (SIGALRM, whose handler stays installed, so a later SIGALRM still only
    kills that group); its exit code, and whether the deadline struck."""
    expired: list[bool] = []

    def kill(_signum: int, _frame: FrameType | None) -> None:
        expired.append(True)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)

    signal.signal(signal.SIGALRM, kill)
    signal.setitimer(signal.ITIMER_REAL, max(timeout, 0.01))
    _, wait_status = os.waitpid(pid, 0)  # an alarm interrupts and the wait resumes (PEP 475)
    signal.setitimer(signal.ITIMER_REAL, 0)
    return os.waitstatus_to_exitcode(wait_status), bool(expired)


def _discard(scratch: Path) -> None:
    """Unmount and remove the tmpfs (it would go with the namespace anyway)."""
    try:
        unmount(scratch)
        scratch.rmdir()
    except OSError:
        pass


def _write(path: Path, **status: object) -> None:
    """The status `workspace_quota.read_status` reads."""
    path.write_text(json.dumps(status), encoding="utf-8")
