"""`sandbox="bwrap"` as an Inspect sandbox provider: direct calls and a real `eval`."""

from __future__ import annotations

import os
from pathlib import Path

import anyio
import pytest
from inspect_ai import Task, eval
from inspect_ai.dataset import Sample
from inspect_ai.scorer import Score, Target, accuracy, scorer
from inspect_ai.solver import Generate, TaskState, solver
from inspect_ai.util import sandbox

from asebench.checks.sandbox.inspect_provider import BwrapSandboxConfig, BwrapSandboxEnvironment


async def _session(config: BwrapSandboxConfig) -> list[str]:
    environments = await BwrapSandboxEnvironment.sample_init("t", config, {})
    box = environments["default"]
    assert isinstance(box, BwrapSandboxEnvironment)
    await box.write_file("src/app.py", "print('from the workspace')\n")
    run = await box.exec(["python", "src/app.py"])
    piped = await box.exec(["sh", "-c", "cat > out.txt; cat out.txt"], input="piped in")
    read_back = await box.read_file("out.txt")
    in_dir = await box.exec(["pwd"], cwd="src")
    await BwrapSandboxEnvironment.sample_cleanup("t", config, environments, False)
    assert not box.workspace.exists()
    return [run.stdout.strip(), piped.stdout, read_back, in_dir.stdout.strip()]


def test_exec_write_and_read_share_the_sample_workspace() -> None:
    outputs = anyio.run(_session, BwrapSandboxConfig())
    assert outputs == ["from the workspace", "piped in", "piped in", "/workspace/src"]


async def _timeout() -> None:
    environments = await BwrapSandboxEnvironment.sample_init("t", None, {})
    try:
        await environments["default"].exec(["sleep", "30"], timeout=1)
    finally:
        await BwrapSandboxEnvironment.sample_cleanup("t", None, environments, True)


def test_exec_timeout_raises_timeout_error() -> None:
    with pytest.raises(TimeoutError):
        anyio.run(_timeout)


async def _escape(path: str) -> None:
    environments = await BwrapSandboxEnvironment.sample_init("t", None, {})
    try:
        await environments["default"].write_file(path, "x")
    finally:
        await BwrapSandboxEnvironment.sample_cleanup("t", None, environments, True)


@pytest.mark.parametrize("path", ["/etc/asebench-test", "../outside.txt"])
def test_files_outside_the_workspace_are_refused(path: str) -> None:
    with pytest.raises(PermissionError):
        anyio.run(_escape, path)


@solver
def probe_identity():  # type: ignore[no-untyped-def]
    async def solve(state: TaskState, generate: Generate) -> TaskState:
        result = await sandbox().exec(["sh", "-c", "id -u; pwd"])
        state.metadata["probe"] = result.stdout.split()
        return state

    return solve


@scorer(metrics=[accuracy()])
def probe_score():  # type: ignore[no-untyped-def]
    async def score(state: TaskState, target: Target) -> Score:
        return Score(value=1 if state.metadata["probe"] == target.text.split() else 0)

    return score


def test_any_inspect_eval_can_use_sandbox_bwrap(tmp_path: Path) -> None:
    uid = "65534" if os.geteuid() == 0 else str(os.geteuid())
    task = Task(
        dataset=[Sample(input="probe", target=f"{uid} /workspace")],
        solver=probe_identity(),
        scorer=probe_score(),
        sandbox="bwrap",
    )
    [log] = eval(task, model="mockllm/model", display="none", log_dir=str(tmp_path))
    assert log.status == "success", log.error
    assert log.results is not None
    assert log.results.scores[0].metrics["accuracy"].value == 1.0


def test_by_default_five_samples_per_cpu_hold_a_sandbox_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 2)

    assert BwrapSandboxEnvironment.default_concurrency() == 10


def test_a_machine_that_cannot_count_its_cpus_gets_five(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: None)

    assert BwrapSandboxEnvironment.default_concurrency() == 5
