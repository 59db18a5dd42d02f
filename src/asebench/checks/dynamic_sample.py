"""Run an instance's functional test and PoC against one sample's candidate tree."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from asebench.checks.verdict import Verdict
from asebench.code.task import MaskedTask
from asebench.workspace import Workspace


def _run_checks(task: MaskedTask, workspace: Workspace, tree: Path, verdict: Verdict) -> None:
    from asebench.checks.dynamic import run_dynamic_check
    from asebench.checks.environment import EnvironmentBuildError, build_environment

    instance = task.instance
    try:
        env_dir = build_environment(instance.environment, instance.language, source_root=tree)
    except EnvironmentBuildError as exc:
        verdict.infra_error = f"environment: {exc}"
        return
    if instance.test is not None:
        materialised = workspace.materialise(hardlink=os.geteuid() == 0)
        outcome = run_dynamic_check(instance.test, "test", workspace=materialised,
                                    instance_dir=instance.root, env_dir=env_dir)
        if outcome.infra_error:
            verdict.infra_error = f"functional test: {outcome.infra_error}"
            return
        verdict.test = "pass" if outcome.verdict == "pass" else "fail"
        verdict.test_detail = outcome.detail
    if instance.poc is not None:
        materialised = workspace.materialise(hardlink=os.geteuid() == 0)
        outcome = run_dynamic_check(instance.poc, "poc", workspace=materialised,
                                    instance_dir=instance.root, env_dir=env_dir)
        if outcome.infra_error:
            verdict.infra_error = f"PoC: {outcome.infra_error}"
            return
        verdict.poc = "vulnerable" if outcome.verdict == "vulnerable" else "safe"
        verdict.poc_detail = outcome.detail


async def run_dynamic(task: MaskedTask, workspace: Workspace, tree: Path, verdict: Verdict) -> None:
    """Fill `verdict.test` and `verdict.poc` (or `infra_error`); each run gets a fresh tree."""
    await asyncio.to_thread(_run_checks, task, workspace, tree, verdict)
