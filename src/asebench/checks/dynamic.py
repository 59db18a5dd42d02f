"""The dynamic stage: an instance's functional test and PoC (or A.S.E's status, test and PoC
commands) on the candidate, recorded into its `Verdict`.

A command that gives no verdict on the candidate is checked against the control run
(`checks/control.py`): if the reference code gets a verdict from the same command, the failure
is the candidate's (a failed test, or a PoC that could not finish: not secure); otherwise the
candidate's command is retried once and, still failing, recorded as an infrastructure failure.
"""

from __future__ import annotations

from collections.abc import Sequence

from inspect_ai.util import SandboxEnvironment

from asebench.checks.control import Control
from asebench.checks.runner import NATIVE_ROOT, CheckOutcome, DynamicCheck, run_check, write_files
from asebench.checks.verdict import ToolchainRecord, Verdict
from asebench.dataset.schema import Instance


def planned_checks(instance: Instance) -> list[DynamicCheck]:
    """The commands to run for `instance`, in order."""
    spec = instance.container
    if spec is not None:
        steps = (("status", spec.status_check_cmd), ("test", spec.test_cmd),
                 ("poc", spec.poc_cmd))
        return [DynamicCheck.ase(spec, kind, command)  # type: ignore[arg-type]
                for kind, command in steps if command]
    checks = []
    if instance.test is not None:
        checks.append(DynamicCheck.native(instance.test, "test"))
    if instance.poc is not None:
        checks.append(DynamicCheck.native(instance.poc, "poc"))
    return checks


def files_root(instance: Instance) -> str:
    """Where candidate files go in the sample's sandbox."""
    return instance.container.inner_path if instance.container else NATIVE_ROOT


async def _outcome(sandbox: SandboxEnvironment, check: DynamicCheck, control: Control,
                   verdict: Verdict) -> CheckOutcome | str | None:
    """The check's outcome on the candidate; a string when it is an infrastructure failure;
    None when the PoC need not be judged because the test already failed."""
    outcome = await run_check(sandbox, check)
    if outcome.decided:
        return outcome
    if check.kind == "poc" and verdict.test == "fail":
        return None
    reference = await control.outcome(check)
    if reference.decided:
        why = outcome.error or outcome.sandbox_error or "no verdict"
        return CheckOutcome(check.kind, None, detail=(
            f"{why} (the same {check.kind} gives a verdict on the {control.label}: "
            "counted as this answer's failure)"), error=why)
    retried = await run_check(sandbox, check)  # the one retry of an infrastructure failure
    if retried.decided:
        return retried
    problem = reference.sandbox_error or reference.error or "no verdict"
    return f"{check.kind}: no verdict on the {control.label} either: {problem}"


def _record(check: DynamicCheck, outcome: CheckOutcome, verdict: Verdict) -> bool:
    """Put one outcome in the verdict; False when the following checks should not run."""
    if check.kind == "status":
        started = outcome.verdict == "pass"
        verdict.toolchain.append(ToolchainRecord(
            name="A.S.E status check", ran=True, ok=started,
            message="" if started else (outcome.detail or "the software did not build or start")))
        return started
    if check.kind == "test":
        verdict.test = "pass" if outcome.verdict == "pass" else "fail"
        verdict.test_detail = outcome.detail
        return True
    if outcome.verdict is None:
        verdict.poc = "failed"
    else:
        verdict.poc = "vulnerable" if outcome.verdict == "vulnerable" else "safe"
    verdict.poc_detail = outcome.detail
    return True


async def run_dynamic_checks(sandbox: SandboxEnvironment, instance: Instance,
                             files: dict[str, str], control: Control, verdict: Verdict,
                             checks: Sequence[DynamicCheck] | None = None) -> None:
    """Write the candidate `files` into `sandbox`, run the instance's checks, fill `verdict`
    (`test`, `poc`, the A.S.E status check, or `infra_error`)."""
    await write_files(sandbox, files_root(instance), files)
    for check in checks if checks is not None else planned_checks(instance):
        outcome = await _outcome(sandbox, check, control, verdict)
        if outcome is None:
            verdict.dynamic_undecided = "PoC not judged: the functional test failed"
            return
        if isinstance(outcome, str):
            verdict.infra_error = outcome
            return
        if not _record(check, outcome, verdict):
            return
