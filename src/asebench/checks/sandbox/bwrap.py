"""Run one command in a bubblewrap sandbox: no network, read-only host, `nobody`, limits.

The sandbox sees `/usr` and friends, a few `/etc` files and the Python installation read-only;
`/workspace` (its cwd) read-write; `/instance` and `/env` read-only; a private `/tmp`. Every
namespace is new (network, pids, ipc, uts, user, mount): loopback inside is not the host's, and
host processes are invisible. When the command ends or times out, everything it started dies.
What the command writes to `/workspace` is bounded by `Limits.workspace_mb` (`workspace_quota`);
its processes and memory (all processes together) by a cgroup of its own where the host has
one (`cgroup`), else by per-process rlimits (`SandboxResult.containment` says which).
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

from asebench.checks.retry import retry
from asebench.checks.sandbox.cgroup import SandboxCgroup, join_argv, sandbox_cgroup
from asebench.checks.sandbox.errors import SandboxUnavailable
from asebench.checks.sandbox.invocation import Mount, build_invocation
from asebench.checks.sandbox.limits import DEFAULT_LIMITS, Limits
from asebench.checks.sandbox.process import ProcessOutcome, run_process
from asebench.checks.sandbox.result import SandboxResult
from asebench.checks.sandbox.workspace_access import grant_workspace, workspace_granted
from asebench.checks.sandbox.workspace_quota import (
    SETUP_FAILED,
    QuotaStatus,
    quota_argv,
    read_status,
)
from asebench.owner import Owner

SETUP_FAILURE_MARKERS = ("bwrap: ", "setpriv: ", "prlimit: ", "unshare: ", "asebench-join: ")
QUOTA_GRACE_S = 60.0
"""Beyond the wall-clock limit, time for the quota helper to write the changes back."""
QUOTA_EXCEEDED = "workspace quota exceeded"
OUT_OF_MEMORY = "out of memory"
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
    network: bool = False,
    read_only: Sequence[Path] = (),
    extra_mounts: Sequence[Mount] = (),
) -> SandboxResult:
    """Run `command` (resolved through the sandbox's PATH) in `cwd`, a path inside the sandbox.

    `network=True` keeps the host's network (only for installing an environment's packages).
    `read_only` shows further host directories, read-only, at their own path (a source tree a
    compiler reads where it lies, so paths in its argv and messages stay the host's); each
    must be readable by the sandbox user, and `ValueError` is raised for `/` or one that
    covers or lies in a directory the sandbox mounts itself (`/workspace`, `/proc`, …).
    `extra_mounts` are bound last, in order (e.g. an empty directory over a host directory
    an agent must not see: `agents/sandbox_view.py`).

    Files the command leaves in `/workspace` are in `workspace` afterwards; with a quota
    (`limits.workspace_mb`) a command that filled it comes back with `workspace_full` and
    killed_reason "workspace quota exceeded". Raises `SandboxUnavailable` when bubblewrap is
    missing or cannot start, or the quota cannot be mounted; never runs the command
    unsandboxed or without its quota.
    """
    workspace = workspace.resolve()
    if not workspace_granted(workspace):
        grant_workspace(workspace)
    with sandbox_cgroup(limits) as group, _status_file() as status_path:
        # with a cgroup of its own, the per-uid RLIMIT_NPROC is only a loose backstop
        shared = "pids" in group.controllers
        rlimits = replace(limits, processes=SHARED_NPROC) if shared else limits
        invocation = build_invocation(
            command,
            workspace=workspace,
            instance_dir=instance_dir.resolve() if instance_dir else None,
            env_dir=env_dir.resolve() if env_dir else None,
            limits=rlimits,
            env=env,
            cwd=cwd,
            network=network,
            read_only=[path.resolve() for path in read_only],
            extra_mounts=extra_mounts,
        )
        argv, timeout_s = join_argv(group, invocation.argv, outer=False), limits.wall_s
        if limits.workspace_mb is not None:
            argv = quota_argv(argv, workspace=workspace, limits=limits, status=status_path)
            timeout_s += QUOTA_GRACE_S
        argv = join_argv(group, argv, outer=True)
        def attempt() -> tuple[ProcessOutcome, QuotaStatus | None, str | None]:
            status_path.write_bytes(b"")
            outcome = run_process(argv, timeout_s=timeout_s, output_bytes=limits.output_bytes,
                                  stdin=stdin)
            quota = read_status(status_path) if limits.workspace_mb is not None else None
            return outcome, quota, _setup_failure(outcome, quota)

        # bubblewrap copies the host's mounts while others come and go: a failed set-up is
        # tried again (the common retry policy, checks/retry.py)
        outcome, quota, failure = retry(attempt, lambda tried: tried[2] is not None,
                                        attempts=SETUP_ATTEMPTS)
        if failure is not None:
            raise SandboxUnavailable(f"the sandbox could not start: {failure}")
        return _result(outcome, quota, group)


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
    extra_mounts: Sequence[Mount] = (),
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
            extra_mounts=extra_mounts,
        )

    return await anyio.to_thread.run_sync(run)


@contextlib.contextmanager
def _status_file() -> Iterator[Path]:
    """A private file for the quota helper's status, removed afterwards."""
    prefix = f"asebench-quota-{Owner.current().tag}-"  # its owner's tag: see `asebench.sweep`
    handle, name = tempfile.mkstemp(prefix=prefix, suffix=".json")
    os.close(handle)
    try:
        yield Path(name)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(name)


def _setup_failure(outcome: ProcessOutcome, quota: QuotaStatus | None) -> str | None:
    """Why bubblewrap (or the quota helper) failed to build the sandbox, or None when the
    command itself ran (an unavailable sandbox is never a command result)."""
    if quota is not None and quota.error and outcome.returncode == SETUP_FAILED:
        return quota.error
    if outcome.returncode != 1 or outcome.timed_out or outcome.stdout:
        return None
    message = outcome.stderr.decode("utf-8", "replace").strip()
    if message.startswith(SETUP_FAILURE_MARKERS) and "\n" not in message:
        return message
    return None


def _killed_reason(
    outcome: ProcessOutcome, timed_out: bool, full: bool, out_of_memory: bool
) -> str | None:
    if full:
        return QUOTA_EXCEEDED
    if out_of_memory:
        return OUT_OF_MEMORY
    if timed_out:
        return "timeout"
    code = outcome.returncode
    signum = -code if code < 0 else code - 128 if code > 128 else 0
    if signum == signal.SIGXCPU:
        return "cpu time limit"
    if signum in (signal.SIGKILL, signal.SIGSEGV, signal.SIGABRT, signal.SIGXFSZ):
        return signal.Signals(signum).name
    return None


def _result(
    outcome: ProcessOutcome, quota: QuotaStatus | None, group: SandboxCgroup
) -> SandboxResult:
    timed_out = outcome.timed_out or (quota is not None and quota.timed_out)
    full = quota is not None and quota.full
    out_of_memory = group.out_of_memory()
    return SandboxResult(
        exit_code=outcome.returncode,
        stdout=outcome.stdout.decode("utf-8", "replace"),
        stderr=outcome.stderr.decode("utf-8", "replace"),
        timed_out=timed_out,
        killed_reason=_killed_reason(outcome, timed_out, full, out_of_memory),
        duration_s=outcome.duration_s,
        output_truncated=outcome.truncated,
        workspace_full=full,
        out_of_memory=out_of_memory,
        containment=group.controllers,
    )
