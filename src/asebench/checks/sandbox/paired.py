"""A judged check: the PoC or test in one sandbox, the candidate's code in another.

The candidate's sandbox sees `/workspace` (the candidate tree; what it writes there is bounded
by the quota and dropped afterwards, so nothing carries over to the next check) and `/env`,
never `/instance`; it runs asebench's generic host (`asebench.probe.host`). The judge's sandbox
sees `/instance`, `/workspace` read-only and `/env`, and runs the instance's script with
`asebench_probe` importable. They share one socket (each sandbox holds one end) and an exchange
directory at the same random path in both (`/tmp/<random>`; bounded, `given/` read-only for
the candidate). Both are in their own pid namespaces: the candidate cannot signal, trace or
write to the judge, and only the judge's stdout is read.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import sys
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import anyio.to_thread

import asebench.probe
from asebench.checks.retry import retry
from asebench.checks.sandbox.bwrap import (
    QUOTA_GRACE_S,
    SETUP_ATTEMPTS,
    SETUP_FAILURE_MARKERS,
    SHARED_NPROC,
)
from asebench.checks.sandbox.cgroup import join_argv, sandbox_cgroup
from asebench.checks.sandbox.errors import SandboxUnavailable
from asebench.checks.sandbox.invocation import Mount, build_invocation
from asebench.checks.sandbox.limits import DEFAULT_LIMITS, MIB, Limits
from asebench.checks.sandbox.pair_helper import CHANNEL_FD, SETUP_FAILED
from asebench.checks.sandbox.process import run_process
from asebench.checks.sandbox.result import SandboxResult
from asebench.checks.sandbox.workspace_access import grant_workspace, sandbox_uid, workspace_granted
from asebench.checks.sandbox.workspace_quota import quota_argv
from asebench.probe.judge import NO_HOST_EXIT, NO_HOST_MESSAGE

PROBE_DIR = Path(asebench.probe.__file__).resolve().parent
PROBE_MOUNT = "/asebench/_asebench_probe"
HOST_BOOT = ("import sys; sys.path.insert(0, '/asebench'); "
             "from _asebench_probe.host import main; sys.exit(main(sys.argv[1:]))")
JUDGE_BOOT = ("import sys; sys.path.insert(0, '/asebench'); "
              "import _asebench_probe.judge as probe; sys.modules['asebench_probe'] = probe; "
              "sys.exit(probe.main(sys.argv[1:]))")
_HELPER_BOOT = ("import sys; sys.path.insert(0, sys.argv.pop(1)); "
                "from asebench.checks.sandbox.pair_helper import main; "
                "sys.exit(main(sys.argv[1:]))")
EXCHANGE_MB = 64
EXCHANGE_FILES = 10_000
CANDIDATE_GRACE_S = 10.0
"""The candidate's sandbox outlives the judge's deadline by this much (it is stopped as soon
as the judge ends)."""


@dataclass(frozen=True)
class PairedResult:
    """The judge's `SandboxResult` (its stdout holds the verdict) and the tail of what the
    candidate's side printed (for details only: the candidate controls it)."""

    judge: SandboxResult
    candidate_log: str = ""


def run_paired(
    script: str,
    *,
    workspace: Path,
    instance_dir: Path,
    env_dir: Path | None = None,
    limits: Limits = DEFAULT_LIMITS,
    env: Mapping[str, str] | None = None,
) -> PairedResult:
    """Run the judge script `script` (a path inside the judge's sandbox, e.g.
    `/instance/poc.py`) against the candidate tree in `workspace`; `env` is the candidate's
    extra environment (`PYTHONPATH`, say). `limits.wall_s` is the judge's wall-clock limit.

    Raises `SandboxUnavailable` when either sandbox cannot start (never the candidate's doing:
    its host runs no candidate code before it greets the judge)."""
    workspace = workspace.resolve()
    if not workspace_granted(workspace):
        grant_workspace(workspace)

    def attempt() -> PairedResult | SandboxUnavailable:
        try:
            return _run_once(script, workspace, instance_dir.resolve(),
                             env_dir.resolve() if env_dir else None, limits, env)
        except SandboxUnavailable as exc:
            return exc

    # a set-up that failed is tried again (the common retry policy, checks/retry.py)
    outcome = retry(attempt, lambda o: isinstance(o, SandboxUnavailable), attempts=SETUP_ATTEMPTS)
    if isinstance(outcome, SandboxUnavailable):
        raise outcome
    return outcome


async def run_paired_async(script: str, *, workspace: Path, instance_dir: Path,
                           env_dir: Path | None = None, limits: Limits = DEFAULT_LIMITS,
                           env: Mapping[str, str] | None = None) -> PairedResult:
    """`run_paired` from async code (in a worker thread)."""

    def run() -> PairedResult:
        return run_paired(script, workspace=workspace, instance_dir=instance_dir,
                          env_dir=env_dir, limits=limits, env=env)

    return await anyio.to_thread.run_sync(run)


@contextlib.contextmanager
def _scratch() -> Iterator[Path]:
    """The exchange mount point and the helper's status file, removed afterwards."""
    directory = Path(tempfile.mkdtemp(prefix="asebench-exchange-"))
    os.chmod(directory, 0o700)
    try:
        yield directory
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def _run_once(script: str, workspace: Path, instance_dir: Path, env_dir: Path | None,
              limits: Limits, env: Mapping[str, str] | None) -> PairedResult:
    inside = f"/tmp/{secrets.token_hex(5)}"
    with contextlib.ExitStack() as stack:
        holder = stack.enter_context(_scratch())
        exchange, status = holder / "mnt", holder / "status.json"
        exchange.mkdir()
        status.write_text("")
        # one cgroup for the pair: pids, memory (and cpu) cover judge and candidate together
        group = stack.enter_context(sandbox_cgroup(limits))
        shared = "pids" in group.controllers
        rlimits = replace(limits, processes=SHARED_NPROC) if shared else limits
        candidate = _candidate_argv(workspace, env_dir, exchange, inside, rlimits, env, holder)
        judge = build_invocation(
            ["python3", "-I", "-c", JUDGE_BOOT, str(CHANNEL_FD), inside, script],
            workspace=workspace, instance_dir=instance_dir, env_dir=env_dir,
            limits=replace(rlimits, workspace_mb=None), env=None, workspace_writable=False,
            extra_mounts=[*_exchange_mounts(exchange, inside, candidate_side=False),
                          Mount(PROBE_DIR, PROBE_MOUNT)],
        ).argv
        helper = _helper_argv(exchange, status, rlimits, candidate, judge)
        argv = join_argv(group, join_argv(group, helper, outer=False), outer=True)
        outcome = run_process(argv,
                              timeout_s=limits.wall_s + CANDIDATE_GRACE_S + QUOTA_GRACE_S,
                              output_bytes=limits.output_bytes)
        report = _read_status(status)
        out_of_memory = group.out_of_memory()
    stderr = outcome.stderr.decode("utf-8", "replace")
    log = str(report.get("candidate_log") or "")
    if outcome.returncode == SETUP_FAILED and report.get("error"):
        raise SandboxUnavailable(f"the sandbox could not start: {report['error']}")
    if outcome.returncode == NO_HOST_EXIT and NO_HOST_MESSAGE in stderr:
        raise SandboxUnavailable(f"the candidate's sandbox did not start: {log.strip()[-400:]}")
    if outcome.returncode == 1 and not outcome.stdout and stderr.startswith(
            SETUP_FAILURE_MARKERS) and "\n" not in stderr.strip():
        raise SandboxUnavailable(f"the judge's sandbox could not start: {stderr.strip()}")
    timed_out = outcome.timed_out or bool(report.get("timed_out"))
    judge_result = SandboxResult(
        exit_code=outcome.returncode,
        stdout=outcome.stdout.decode("utf-8", "replace"),
        stderr=stderr,
        timed_out=timed_out,
        killed_reason="timeout" if timed_out else "out of memory" if out_of_memory else None,
        duration_s=outcome.duration_s,
        output_truncated=outcome.truncated,
    )
    return PairedResult(judge_result, log)


def _exchange_mounts(exchange: Path, inside: str, *, candidate_side: bool) -> list[Mount]:
    """`shared/` read-write for both at `inside`; `given/` in it, read-only for the candidate."""
    return [Mount(exchange / "shared", inside, writable=True),
            Mount(exchange / "given", f"{inside}/given", writable=not candidate_side)]


def _candidate_argv(workspace: Path, env_dir: Path | None, exchange: Path, inside: str,
                    limits: Limits, env: Mapping[str, str] | None, holder: Path) -> list[str]:
    """The candidate host's sandbox: no `/instance`; its writes to `/workspace` are dropped
    (through the quota helper), or it sees `/workspace` read-only when there is no quota."""
    quota = limits.workspace_mb is not None
    invocation = build_invocation(
        ["python3", "-I", "-c", HOST_BOOT, str(CHANNEL_FD)],
        workspace=workspace, instance_dir=None, env_dir=env_dir,
        limits=replace(limits, wall_s=limits.wall_s + CANDIDATE_GRACE_S), env=env,
        workspace_writable=quota,
        extra_mounts=[*_exchange_mounts(exchange, inside, candidate_side=True),
                      Mount(PROBE_DIR, PROBE_MOUNT)],
    )
    if not quota:
        return invocation.argv
    return quota_argv(invocation.argv, workspace=workspace,
                      limits=replace(limits, wall_s=limits.wall_s + CANDIDATE_GRACE_S),
                      status=holder / "quota.json", keep=False)


def _helper_argv(exchange: Path, status: Path, limits: Limits, candidate: list[str],
                 judge: list[str]) -> list[str]:
    unshare = ["unshare", "--mount", "--propagation", "private"]
    if os.geteuid() != 0:
        unshare[1:1] = ["--user", "--map-root-user"]
    source_root = str(Path(__file__).resolve().parents[3])
    return [
        *unshare, sys.executable, "-I", "-S", "-c", _HELPER_BOOT, source_root,
        "--exchange", str(exchange), "--status", str(status),
        "--size", str(EXCHANGE_MB * MIB), "--inodes", str(EXCHANGE_FILES),
        "--uid", str(sandbox_uid() if os.geteuid() == 0 else -1), "--deadline", repr(limits.wall_s),
        "--quota", "1" if limits.workspace_mb is not None else "0",
        "--", *candidate, "--judge--", *judge,
    ]


def _read_status(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}
