"""Scoring an agent sample (`ase_scorer(agent=True)`): the agent's edits go through the
same judge as a model's answer (`checks/judge.py`), plus what only an agent can do (change
other files).

In order: the sandbox leaves the agent's view (the judge's test and PoC see `/instance`
again); every file the agent changed is recorded as a diff; the region(s) are read back from
the edited masked file(s) (`agents/readback.py`) and judged on the agent's workspace, so its other
changes stay in place for the test and PoC; the changed files are scanned for new findings
elsewhere (`agents/elsewhere.py`). The score's value is a model sample's (`score_value`); its
metadata holds the verdict and, under `agent`, the run figures, the diffs and the findings.
"""

from __future__ import annotations

import asyncio
from typing import Any

from inspect_ai.scorer import Score
from inspect_ai.solver import TaskState
from inspect_ai.util import sandbox

from asebench.agents.agent_run import AGENT_RUN_KEY
from asebench.agents.elsewhere import findings_elsewhere
from asebench.agents.readback import AgentTask, read_back
from asebench.agents.sandbox_view import AgentSandboxEnvironment
from asebench.agents.workspace import FileChange, workspace_changes
from asebench.checks.judge import Scanner, judge_answer
from asebench.checks.verdict import Verdict
from asebench.harness.scorer import ANSWER_CHARS, score_value
from asebench.opened_instance import instance_from_metadata, open_instance


async def _edited(box: AgentSandboxEnvironment, paths: list[str]) -> dict[str, str | None]:
    """Each masked file as the agent left it (None: gone, not a file in the workspace, or
    not UTF-8)."""
    out: dict[str, str | None] = {}
    for path in paths:
        try:
            out[path] = await box.read_file(path)
        except (FileNotFoundError, PermissionError, UnicodeDecodeError):
            out[path] = None
    return out


def _change_record(change: FileChange) -> dict[str, Any]:
    return {"path": change.path, "kind": change.kind, "diff": change.diff}


async def score_agent_sample(state: TaskState, scanner: Scanner, dynamic: bool) -> Score:
    """Judge what the agent left in its workspace (see the module docstring); `scanner`
    runs semgrep (the scorer's shared `SemgrepBatcher.scan`)."""
    box = sandbox().as_type(AgentSandboxEnvironment)
    box.end_agent_phase()
    instance = instance_from_metadata(state.metadata)
    run: dict[str, Any] = dict(state.metadata.get(AGENT_RUN_KEY) or {})
    try:
        tree, task = await asyncio.to_thread(open_instance, instance)
        changes = await asyncio.to_thread(workspace_changes, box.config.base, box.workspace,
                                          task)
    except Exception as exc:  # recorded on this sample; the others go on
        verdict = Verdict(instance=instance.id, infra_error=f"reading the agent's workspace: "
                                                            f"{type(exc).__name__}: {exc}")
        return Score(value=score_value(verdict), explanation=verdict.reason(),
                     metadata={"verdict": verdict.model_dump(mode="json"), "agent": run})
    read = read_back(task, await _edited(box, [m.path for m in task.files]))
    answer = read.answer_text()
    verdict = await judge_answer(
        AgentTask(task.instance, task.files, read=read), answer, tree.root, scanner=scanner,
        dynamic=dynamic, sandbox=sandbox(),
        stop_reason=state.output.stop_reason if state.output.choices else None)
    elsewhere, scan_error = await findings_elsewhere(task, changes, read, scanner)
    run.update({
        "changed_files": [_change_record(c) for c in changes],
        "findings_elsewhere": [f.model_dump(mode="json") for f in elsewhere],
        "findings_elsewhere_error": scan_error,
    })
    explanation = verdict.reason()
    if elsewhere:
        explanation += (f"; {len(elsewhere)} new finding(s) elsewhere: "
                        + ", ".join(f"{f.rule} at {f.path}:{f.start}" for f in elsewhere))
    if run.get("limit"):
        explanation += f"; agent stopped: {run['limit']}"
    return Score(
        value=score_value(verdict),
        answer=answer[:ANSWER_CHARS],
        explanation=explanation,
        metadata={"verdict": verdict.model_dump(mode="json"), "agent": run},
    )
