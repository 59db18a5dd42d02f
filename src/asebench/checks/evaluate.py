"""Judge one answer: put it in place, then quality, static and dynamic checks -> `Verdict`."""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Awaitable, Callable
from functools import lru_cache
from pathlib import Path

from inspect_ai.util import SandboxEnvironment

from asebench.checks.protocol import run_checks_in_sandbox
from asebench.checks.sample_sandbox import bwrap_sandbox
from asebench.checks.static import ScanRequest, ScanResult, scan_with_retry
from asebench.checks.toolchain import ToolchainResult, run_toolchain
from asebench.checks.verdict import FindingRecord, ToolchainRecord, Verdict
from asebench.code.languages import info, language_of_path
from asebench.code.syntax import check_syntax
from asebench.code.task import MaskedTask
from asebench.dataset.schema import Language
from asebench.workspace import Workspace

Scanner = Callable[[ScanRequest], Awaitable[ScanResult]]


async def scan_now(request: ScanRequest) -> ScanResult:
    """A scanner that runs semgrep for this one sample (no batching)."""
    return (await asyncio.to_thread(scan_with_retry, [request]))[0]


@lru_cache(maxsize=512)
def _original_passes(language: Language, tree: str, rel: str) -> ToolchainResult:
    return run_toolchain(language, Path(tree), rel)


def _toolchain(task: MaskedTask, tree: Path, workspace: Workspace) -> list[ToolchainRecord]:
    """Run the language checker on each candidate file, where the original file passes it."""
    records = []
    materialised: Path | None = None
    for masked in task.files:
        language = language_of_path(masked.path, task.language)
        original = _original_passes(language, str(tree), masked.path)
        if not original.ran:
            records.append(ToolchainRecord(name=original.name, ran=False, ok=True,
                                           message=original.message))
            continue
        if not original.ok:
            records.append(ToolchainRecord(
                name=original.name, ran=False, ok=True,
                message="skipped: the original file does not pass it here",
            ))
            continue
        if info(language).toolchain.needs_tree:
            materialised = materialised or workspace.materialise(hardlink=os.geteuid() == 0)
            where = materialised
        else:
            where = workspace.changes
        result = run_toolchain(language, where, masked.path)
        records.append(ToolchainRecord(name=result.name, ran=result.ran, ok=result.ok,
                                       message=result.message))
    return records


def _toolchain_in_workspace(
    task: MaskedTask, tree: Path, candidates: dict[str, str]
) -> list[ToolchainRecord]:
    """The toolchain checks in a throw-away workspace holding the candidate files."""
    with tempfile.TemporaryDirectory(prefix=f"asebench-{task.instance.id}-") as tmp:
        workspace = Workspace(tree, Path(tmp))
        try:
            for path, text in candidates.items():
                workspace.write(path, text)
            return _toolchain(task, tree, workspace)
        finally:
            workspace.remove()  # unmounts an overlay tree before the directory goes


async def evaluate_answer(
    task: MaskedTask,
    answer: str,
    tree: Path,
    *,
    scanner: Scanner = scan_now,
    dynamic: bool = True,
    sandbox: SandboxEnvironment | None = None,
) -> Verdict:
    """Everything asebench concludes about `answer` to `task` on the source tree `tree`.

    The functional test and PoC run in `sandbox` (Inspect's sample sandbox: `bwrap`, or
    `docker` for A.S.E container instances); without one, a bwrap sandbox is made here."""
    instance = task.instance
    fitted = task.fit(answer)
    if fitted.failure is not None:
        return Verdict(instance=instance.id, answer_failure=fitted.failure)
    verdict = Verdict(instance=instance.id)
    for path, insertion in fitted.insertions.items():
        syntax = check_syntax(insertion.text, task.language, path)
        if not syntax.ok:
            verdict.syntax_errors[path] = syntax.message
    if verdict.syntax_errors:
        return verdict
    candidates = {path: insertion.text for path, insertion in fitted.insertions.items()}
    verdict.toolchain = await asyncio.to_thread(_toolchain_in_workspace, task, tree, candidates)
    scan = await scanner(ScanRequest(
        files=candidates,
        rules=instance.rules,
        spans={p: list(i.spans.values()) for p, i in fitted.insertions.items()},
    ))
    if scan.error is not None:
        verdict.infra_error = scan.error
        return verdict
    verdict.findings = [FindingRecord(rule=f.rule, path=f.path, start=f.start, end=f.end,
                                      message=f.message) for f in scan.in_inserted]
    verdict.findings_outside = len(scan.findings) - len(scan.in_inserted)
    toolchain_failed = any(check.ran and not check.ok for check in verdict.toolchain)
    if dynamic and not toolchain_failed and (instance.test or instance.poc or instance.container):
        if sandbox is not None:
            await run_checks_in_sandbox(sandbox, instance, candidates, verdict)
        elif instance.container is not None:
            verdict.infra_error = "an A.S.E container instance needs --sandbox docker"
        else:
            async with bwrap_sandbox(instance, tree) as own:
                await run_checks_in_sandbox(own, instance, candidates, verdict)
    return verdict
