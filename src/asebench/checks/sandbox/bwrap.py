"""Run one command in a bubblewrap sandbox: no network, read-only host, `nobody`, limits.

The sandbox sees `/usr` and friends, a few `/etc` files and the Python installation read-only;
`/workspace` (its cwd) read-write; `/instance` and `/env` read-only; a private `/tmp`. Every
namespace is new (network, pids, ipc, uts, user, mount): loopback inside is not the host's, and
host processes are invisible. When the command ends or times out, everything it started dies.
"""

from __future__ import annotations

import signal
from collections.abc import Mapping, Sequence
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

SETUP_FAILURE_MARKERS = ("bwrap: ", "setpriv: ", "prlimit: ")
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
) -> SandboxResult:
    """Run `command` (resolved through the sandbox's PATH) in `cwd`, a path inside the sandbox.

    Raises `SandboxUnavailable` when bubblewrap is missing or cannot start; never runs the
    command unsandboxed.
    """
    workspace = workspace.resolve()
    if not workspace_granted(workspace):
        grant_workspace(workspace)
    with pids_cgroup(limits.processes) as group:
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
        )
        for attempt in range(1, SETUP_ATTEMPTS + 1):
            outcome = run_process(
                join_argv(group, invocation.argv), timeout_s=limits.wall_s,
                output_bytes=limits.output_bytes, stdin=stdin,
            )
            try:
                _raise_on_setup_failure(outcome)
            except SandboxUnavailable:
                # bubblewrap copies the host's mounts while others come and go: try again
                if attempt == SETUP_ATTEMPTS:
                    raise
                continue
            break
    return _result(outcome)


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


def _raise_on_setup_failure(outcome: ProcessOutcome) -> None:
    """bubblewrap failing to build the sandbox is an unavailable sandbox, not a command result."""
    if outcome.returncode != 1 or outcome.timed_out or outcome.stdout:
        return
    message = outcome.stderr.decode("utf-8", "replace").strip()
    if message.startswith(SETUP_FAILURE_MARKERS) and "\n" not in message:
        raise SandboxUnavailable(f"the sandbox could not start: {message}")


def _killed_reason(outcome: ProcessOutcome) -> str | None:
    if outcome.timed_out:
        return "timeout"
    code = outcome.returncode
    signum = -code if code < 0 else code - 128 if code > 128 else 0
    if signum == signal.SIGXCPU:
        return "cpu time limit"
    if signum in (signal.SIGKILL, signal.SIGSEGV, signal.SIGABRT, signal.SIGXFSZ):
        return signal.Signals(signum).name
    return None


def _result(outcome: ProcessOutcome) -> SandboxResult:
    return SandboxResult(
        exit_code=outcome.returncode,
        stdout=outcome.stdout.decode("utf-8", "replace"),
        stderr=outcome.stderr.decode("utf-8", "replace"),
        timed_out=outcome.timed_out,
        killed_reason=_killed_reason(outcome),
        duration_s=outcome.duration_s,
        output_truncated=outcome.truncated,
    )
