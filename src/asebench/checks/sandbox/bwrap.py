"""Run one command in a bubblewrap sandbox: no network, read-only host, `nobody`, limits.

The sandbox sees `/usr` and friends, a few `/etc` files and the Python installation read-only;
`/workspace` (its cwd) read-write; `/instance` and `/env` read-only; a private `/tmp`. Every
namespace is new (network, pids, ipc, uts, user, mount): loopback inside is not the host's, and
host processes are invisible. When the command ends or times out, everything it started dies.
What the command writes to `/workspace` is bounded by `Limits.workspace_mb` (`workspace_quota`).
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

import anyio.to_thread

from asebench.checks.sandbox.errors import SandboxUnavailable
from asebench.checks.sandbox.invocation import build_invocation
from asebench.checks.sandbox.limits import DEFAULT_LIMITS, Limits
from asebench.checks.sandbox.pids_cgroup import join_argv, pids_cgroup
from asebench.checks.sandbox.process import ProcessOutcome, run_process
from asebench.checks.sandbox.result import SandboxResult
from asebench.checks.sandbox.workspace_access import grant_workspace, workspace_granted
from asebench.checks.sandbox.workspace_quota import (
    SETUP_FAILED,
    QuotaStatus,
    quota_argv,
    read_status,
)

SETUP_FAILURE_MARKERS = ("bwrap: ", "setpriv: ", "prlimit: ", "unshare: ")
QUOTA_GRACE_S = 60.0
"""Beyond the wall-clock limit, time for the quota helper to write the changes back."""
QUOTA_EXCEEDED = "workspace quota exceeded"
SETUP_ATTEMPTS = 3
SHARED_NPROC = 16384
"""RLIMIT_NPROC (shared by all sandboxes, per uid) when each sandbox has its own pids cgroup."""


def run_sandboxed(
    command: Sequence[str],
    *,
    workspace: Path,
    instance_dir: Path | None = None,
    env_dir: Path | None = None,
    limits: Limits = DEFAULT_LIMITS,
    env: Mapping[str, str] | None = None,
    stdin: bytes | None = None,
    cwd: str = "/workspace",
    read_only: Sequence[Path] = (),
) -> SandboxResult:
    """Run `command` (resolved through the sandbox's PATH) in `cwd`, a path inside the sandbox.

    `read_only` shows further host directories, read-only, at their own path (a source tree a
    compiler reads where it lies, so paths in its argv and messages stay the host's); each
    must be readable by the sandbox user, and `ValueError` is raised for `/` or one that
    covers or lies in a directory the sandbox mounts itself (`/workspace`, `/proc`, …).

    Files the command leaves in `/workspace` are in `workspace` afterwards; with a quota
    (`limits.workspace_mb`) a command that filled it comes back with `workspace_full` and
    killed_reason "workspace quota exceeded". Raises `SandboxUnavailable` when bubblewrap is
    missing or cannot start, or the quota cannot be mounted; never runs the command
    unsandboxed or without its quota.
    """
    workspace = workspace.resolve()
    if not workspace_granted(workspace):
        grant_workspace(workspace)
    with pids_cgroup(limits.processes) as group, _status_file() as status_path:
        # with a cgroup of its own, the per-uid RLIMIT_NPROC is only a loose backstop
        rlimits = limits if group is None else replace(limits, processes=SHARED_NPROC)
        invocation = build_invocation(
            command,
            workspace=workspace,
            instance_dir=instance_dir.resolve() if instance_dir else None,
            env_dir=env_dir.resolve() if env_dir else None,
            limits=rlimits,
            env=env,
            cwd=cwd,
            read_only=[path.resolve() for path in read_only],
        )
        argv, timeout_s = list(invocation.argv), limits.wall_s
        if limits.workspace_mb is not None:
            argv = quota_argv(argv, workspace=workspace, limits=limits, status=status_path)
            timeout_s += QUOTA_GRACE_S
        for attempt in range(1, SETUP_ATTEMPTS + 1):
            status_path.write_bytes(b"")
            outcome = run_process(
                join_argv(group, argv), timeout_s=timeout_s,
                output_bytes=limits.output_bytes, stdin=stdin,
            )
            quota = read_status(status_path) if limits.workspace_mb is not None else None
            try:
                _raise_on_setup_failure(outcome, quota)
            except SandboxUnavailable:
                # bubblewrap copies the host's mounts while others come and go: try again
                if attempt == SETUP_ATTEMPTS:
                    raise
                continue
            break
    return _result(outcome, quota)


async def run_sandboxed_async(
    command: Sequence[str],
    *,
    workspace: Path,
    instance_dir: Path | None = None,
    env_dir: Path | None = None,
    limits: Limits = DEFAULT_LIMITS,
    env: Mapping[str, str] | None = None,
    stdin: bytes | None = None,
    cwd: str = "/workspace",
) -> SandboxResult:
    """`run_sandboxed` from async code (runs in a worker thread; the wall limit still holds)."""

    def run() -> SandboxResult:
        return run_sandboxed(
            command,
            workspace=workspace,
            instance_dir=instance_dir,
            env_dir=env_dir,
            limits=limits,
            env=env,
            stdin=stdin,
            cwd=cwd,
        )

    return await anyio.to_thread.run_sync(run)


@contextlib.contextmanager
def _status_file() -> Iterator[Path]:
    """A private file for the quota helper's status, removed afterwards."""
    handle, name = tempfile.mkstemp(prefix="asebench-quota-", suffix=".json")
    os.close(handle)
    try:
        yield Path(name)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(name)


def _raise_on_setup_failure(outcome: ProcessOutcome, quota: QuotaStatus | None) -> None:
    """bubblewrap (or the quota helper) failing to build the sandbox is an unavailable
    sandbox, not a command result."""
    if quota is not None and quota.error and outcome.returncode == SETUP_FAILED:
        raise SandboxUnavailable(f"the sandbox could not start: {quota.error}")
    if outcome.returncode != 1 or outcome.timed_out or outcome.stdout:
        return
    message = outcome.stderr.decode("utf-8", "replace").strip()
    if message.startswith(SETUP_FAILURE_MARKERS) and "\n" not in message:
        raise SandboxUnavailable(f"the sandbox could not start: {message}")


def _killed_reason(outcome: ProcessOutcome, timed_out: bool, full: bool) -> str | None:
    if full:
        return QUOTA_EXCEEDED
    if timed_out:
        return "timeout"
    code = outcome.returncode
    signum = -code if code < 0 else code - 128 if code > 128 else 0
    if signum == signal.SIGXCPU:
        return "cpu time limit"
    if signum in (signal.SIGKILL, signal.SIGSEGV, signal.SIGABRT, signal.SIGXFSZ):
        return signal.Signals(signum).name
    return None


def _result(outcome: ProcessOutcome, quota: QuotaStatus | None) -> SandboxResult:
    timed_out = outcome.timed_out or (quota is not None and quota.timed_out)
    full = quota is not None and quota.full
    return SandboxResult(
        exit_code=outcome.returncode,
        stdout=outcome.stdout.decode("utf-8", "replace"),
        stderr=outcome.stderr.decode("utf-8", "replace"),
        timed_out=timed_out,
        killed_reason=_killed_reason(outcome, timed_out, full),
        duration_s=outcome.duration_s,
        output_truncated=outcome.truncated,
        workspace_full=full,
    )
