"""The one runner of PoCs, functional tests and A.S.E steps: a command in an Inspect sandbox
(`bwrap`, or `docker` for A.S.E container instances), its verdict read by the protocol.

One attempt per call; `checks/dynamic.py` decides with a control run whether a command that
gave no verdict failed because of the candidate or of the infrastructure, and retries with
`checks/retry.py`.
"""

from __future__ import annotations

import posixpath
import time
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from inspect_ai.util import OutputLimitExceededError, SandboxEnvironment

from asebench.checks.protocol import CheckKind, Protocol, Reading, read
from asebench.checks.sandbox.errors import SandboxUnavailable
from asebench.checks.sandbox.inspect_provider import BwrapSandboxEnvironment
from asebench.checks.sandbox.result import SandboxResult
from asebench.dataset.schema import JUDGED_COMMAND, Command, ContainerSpec

NATIVE_ROOT = "/workspace"
ASE_STEP_TIMEOUT = 900.0


@dataclass(frozen=True)
class DynamicCheck:
    """One command to run: which check it is, its argv, limits and how it tells its verdict."""

    kind: CheckKind
    argv: list[str]
    timeout: float
    protocol: Protocol = "native"
    env: dict[str, str] = field(default_factory=dict)
    cwd: str | None = None

    @classmethod
    def native(cls, command: Command, kind: CheckKind) -> DynamicCheck:
        """A native instance's PoC or test: a judge script (`asebench-judge SCRIPT`, the
        script's path relative to the instance directory or under `/instance`), or a command
        of the single-sandbox protocol, not yet converted."""
        if command.judged:
            return cls(kind, [judge_script(command)], command.timeout, "judged",
                       dict(command.env))
        return cls(kind, list(command.run), command.timeout, "native", dict(command.env))

    @classmethod
    def ase(cls, spec: ContainerSpec, kind: CheckKind, command: str) -> DynamicCheck:
        """One of an A.S.E container instance's shell commands, run in its inner path."""
        return cls(kind, ["bash", "-c", command], ASE_STEP_TIMEOUT, "ase", cwd=spec.inner_path)


def judge_script(command: Command) -> str:
    """The judge script of an `asebench-judge` command, as a path in the judge's sandbox;
    `ValueError` when the command is not `[asebench-judge, SCRIPT]` with SCRIPT inside the
    instance directory."""
    if len(command.run) != 2:
        raise ValueError(f"run: {JUDGED_COMMAND} takes one script, got {command.run[1:]!r}")
    script = PurePosixPath(command.run[1])
    inside = script if script.is_absolute() else PurePosixPath("/instance") / script
    normal = PurePosixPath(posixpath.normpath(inside))
    if not normal.is_relative_to("/instance") or normal == PurePosixPath("/instance"):
        raise ValueError(f"run: the judge script {command.run[1]!r} is not in the instance")
    return str(normal)


@dataclass(frozen=True)
class CheckOutcome:
    """What one run of a check gave: a verdict (`pass`/`fail`, `vulnerable`/`safe`), or the
    command's own failure (`error`: exit code, timeout, no verdict), or a sandbox failure
    (`sandbox_error`: the command could not be run at all)."""

    kind: CheckKind
    verdict: str | None
    detail: str = ""
    error: str | None = None
    sandbox_error: str | None = None

    @property
    def decided(self) -> bool:
        return self.verdict is not None


async def execute(sandbox: SandboxEnvironment, check: DynamicCheck) -> SandboxResult | str:
    """Run the check's command; the sandbox's result (for a judged check, the judge's), or a
    string saying why it could not run."""
    started = time.monotonic()
    if check.protocol == "judged":
        try:  # Inspect hands out its sandboxes behind an event-logging proxy
            bwrap = sandbox.as_type(BwrapSandboxEnvironment)
        except TypeError:
            return f"sandbox error: a judged {check.kind} runs in the bwrap sandbox"
        try:
            return (await bwrap.exec_judged(check.argv[0], timeout=check.timeout,
                                            env=check.env)).judge
        except (SandboxUnavailable, OSError, RuntimeError, ValueError) as exc:
            return f"sandbox error: {type(exc).__name__}: {exc}"
    try:
        done = await sandbox.exec(check.argv, cwd=check.cwd, env=check.env,
                                  timeout=max(1, int(check.timeout)))
    except TimeoutError:
        return SandboxResult(-9, "", "", timed_out=True, killed_reason="timeout",
                             duration_s=time.monotonic() - started)
    except OutputLimitExceededError as exc:
        return SandboxResult(-1, "", f"output limit exceeded: {exc}",
                             duration_s=time.monotonic() - started)
    except (SandboxUnavailable, OSError, RuntimeError) as exc:
        return f"sandbox error: {type(exc).__name__}: {exc}"
    return SandboxResult(done.returncode, done.stdout, done.stderr,
                         duration_s=time.monotonic() - started)


async def run_check(sandbox: SandboxEnvironment, check: DynamicCheck) -> CheckOutcome:
    """Run `check` once in `sandbox` and read its verdict."""
    result = await execute(sandbox, check)
    if isinstance(result, str):
        return CheckOutcome(check.kind, None, sandbox_error=result)
    reading: Reading = read(result, check.kind, check.protocol)
    return CheckOutcome(check.kind, reading.verdict, reading.detail, reading.error)


async def write_files(sandbox: SandboxEnvironment, root: str, files: dict[str, str]) -> None:
    """Write candidate (or gold) files under `root` in the sandbox."""
    for rel, text in files.items():
        await sandbox.write_file(f"{root.rstrip('/')}/{rel}", text)
