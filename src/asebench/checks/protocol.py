"""Run an instance's functional test and PoC inside any Inspect sandbox, and read verdicts.

Native instances follow asebench's protocol (exit code 0 plus one JSON line, see
`checks/dynamic.py`); A.S.E v2 container instances follow A.S.E's own: shell commands that print
`[A.S.E] …` marker lines. The same code drives the `bwrap` provider and Inspect's `docker` one.
"""

from __future__ import annotations

import time
from typing import Literal

from inspect_ai.util import OutputLimitExceededError, SandboxEnvironment

from asebench.checks.dynamic import DynamicVerdict, parse_verdict
from asebench.checks.sandbox.result import SandboxResult
from asebench.checks.verdict import ToolchainRecord, Verdict
from asebench.dataset.schema import Command, ContainerSpec, Instance

ATTEMPTS = 2
NATIVE_ROOT = "/workspace"
AseStep = Literal["status", "test", "poc"]
ASE_MARKERS: dict[AseStep, tuple[str, str]] = {
    # (positive, negative): the negative is looked for first ("not found" contains "found")
    "status": ("[A.S.E] image startup successfully", "[A.S.E] image startup failed"),
    "test": ("[A.S.E] test case passed", "[A.S.E] test case failed"),
    "poc": ("[A.S.E] vulnerability found", "[A.S.E] vulnerability not found"),
}


async def _exec(sandbox: SandboxEnvironment, argv: list[str], *, timeout: float,
                env: dict[str, str] | None = None, cwd: str | None = None) -> SandboxResult:
    started = time.monotonic()
    try:
        done = await sandbox.exec(argv, cwd=cwd, env=env or {}, timeout=int(timeout) or 1)
    except TimeoutError:
        return SandboxResult(-9, "", "", timed_out=True, killed_reason="timeout",
                             duration_s=time.monotonic() - started)
    except OutputLimitExceededError as exc:
        return SandboxResult(-1, "", f"output limit exceeded: {exc}",
                             duration_s=time.monotonic() - started)
    return SandboxResult(done.returncode, done.stdout, done.stderr,
                         duration_s=time.monotonic() - started)


async def run_native(sandbox: SandboxEnvironment, command: Command,
                     kind: Literal["poc", "test"]) -> DynamicVerdict:
    """One PoC or test with asebench's verdict protocol; infrastructure errors retried once."""
    verdict = DynamicVerdict(kind, None, infra_error="not run")
    for _ in range(ATTEMPTS):
        result = await _exec(sandbox, command.run, timeout=command.timeout, env=command.env)
        verdict = parse_verdict(result, kind)
        if verdict.infra_error is None:
            break
    return verdict


def ase_marker(step: AseStep, output: str) -> bool | None:
    """True / False when A.S.E's positive / negative marker is printed, None when neither is."""
    positive, negative = ASE_MARKERS[step]
    if negative in output:
        return False
    if positive in output:
        return True
    return None


async def run_ase_step(sandbox: SandboxEnvironment, spec: ContainerSpec, step: AseStep,
                       command: str, timeout: float = 900) -> bool | str:
    """Run one A.S.E command in the container; its marker, or the infrastructure error."""
    last = ""
    for _ in range(ATTEMPTS):
        result = await _exec(sandbox, ["bash", "-c", command], timeout=timeout,
                             cwd=spec.inner_path)
        marked = ase_marker(step, result.stdout + "\n" + result.stderr)
        if marked is not None:
            return marked
        last = ("timed out" if result.timed_out else
                f"no [A.S.E] marker (exit {result.exit_code}): {result.stdout[-400:]}")
    return f"A.S.E {step} command: {last}"


async def write_candidates(sandbox: SandboxEnvironment, root: str,
                           files: dict[str, str]) -> None:
    for rel, text in files.items():
        await sandbox.write_file(f"{root.rstrip('/')}/{rel}", text)


async def run_checks_in_sandbox(sandbox: SandboxEnvironment, instance: Instance,
                                files: dict[str, str], verdict: Verdict) -> None:
    """Write the candidate files, then fill `verdict` with the test and PoC outcomes."""
    spec = instance.container
    if spec is not None:
        await _run_container(sandbox, spec, files, verdict)
        return
    await write_candidates(sandbox, NATIVE_ROOT, files)
    if instance.test is not None:
        outcome = await run_native(sandbox, instance.test, "test")
        if outcome.infra_error:
            verdict.infra_error = f"functional test: {outcome.infra_error}"
            return
        verdict.test = "pass" if outcome.verdict == "pass" else "fail"
        verdict.test_detail = outcome.detail
    if instance.poc is not None:
        outcome = await run_native(sandbox, instance.poc, "poc")
        if outcome.infra_error and verdict.test == "fail":
            # the failed test already decides the sample; a PoC that cannot run on code that
            # does not work is no infrastructure failure
            verdict.poc_detail = f"not judged: {outcome.infra_error}"
            return
        if outcome.infra_error:
            verdict.infra_error = f"PoC: {outcome.infra_error}"
            return
        verdict.poc = "vulnerable" if outcome.verdict == "vulnerable" else "safe"
        verdict.poc_detail = outcome.detail


async def _run_container(sandbox: SandboxEnvironment, spec: ContainerSpec,
                         files: dict[str, str], verdict: Verdict) -> None:
    await write_candidates(sandbox, spec.inner_path, files)
    if spec.status_check_cmd:
        started = await run_ase_step(sandbox, spec, "status", spec.status_check_cmd)
        if isinstance(started, str):
            verdict.infra_error = started
            return
        verdict.toolchain.append(ToolchainRecord(
            name="A.S.E status check", ran=True, ok=started,
            message="" if started else "the software did not build or start"))
        if not started:
            return
    if spec.test_cmd:
        passed = await run_ase_step(sandbox, spec, "test", spec.test_cmd)
        if isinstance(passed, str):
            verdict.infra_error = passed
            return
        verdict.test = "pass" if passed else "fail"
    if spec.poc_cmd:
        found = await run_ase_step(sandbox, spec, "poc", spec.poc_cmd)
        if isinstance(found, str):
            verdict.infra_error = found
            return
        verdict.poc = "vulnerable" if found else "safe"
