"""Both agent kinds on a built-in instance of the fast subset, end to end: Inspect's `react`
and the external mini-swe-agent, each driven by a scripted model on 127.0.0.1 that reads the
masked file and writes back the file with the gold fix in the region (the gold as the run
derives it, from the fixed release). Everything else is real: the release fetched from its
registry, the agent's bwrap sandbox, the judge's semgrep rule, functional test and PoC."""

from __future__ import annotations

import base64
import importlib.util
from pathlib import Path
from typing import Any

import pytest
from cli_runner import read_json, run_asebench
from model_server import ModelServer, Reply, tool_call

from asebench.dataset.load import load_dataset
from asebench.opened_instance import open_instance

MODEL = "openai-api/localtest/test-model"
INSTANCE = "shell-quote-CVE-2021-42740"

pytestmark = pytest.mark.network


def _gold_file() -> tuple[str, str]:
    """(the masked file's path, its text with the gold fix in the region)."""
    instance = next(i for i in load_dataset("builtin").instances if i.id == INSTANCE)
    _, task = open_instance(instance)
    [(path, text)] = task.gold_files().items()
    return path, text


def _run(tmp_path: Path, agent: str, key: str, script: list[str | Reply]) -> dict[str, Any]:
    with ModelServer({key: script}, by_turn=True) as server:
        result = run_asebench(
            "run", "--dataset", "builtin", "--instances", INSTANCE, "--agent", agent,
            "--model", MODEL, "--cycles", "1", "--context", "none",
            "--log-dir", tmp_path / "logs", "--output-dir", tmp_path / "out",
            env=server.env("localtest"), timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    summary = read_json(tmp_path / "out" / "scores.json")
    assert summary["run"]["agent"] == agent
    [sample] = summary["samples"]
    return dict(sample)


def test_react_writes_the_gold_into_a_builtin_instance_and_scores_secure(tmp_path: Path
                                                                         ) -> None:
    path, gold = _gold_file()
    script: list[str | Reply] = [
        Reply("", tool_calls=(tool_call("bash", command="ls"),)),
        Reply("", tool_calls=(tool_call("text_editor", command="view", path=path),)),
        Reply("", tool_calls=(tool_call("text_editor", command="create", path=path,
                                        file_text=gold),)),
        Reply("", tool_calls=(tool_call("submit", answer="done"),)),
    ]
    sample = _run(tmp_path, "react", f"`{path}`", script)
    assert sample["quality"] and sample["secure"], sample["reason"]
    assert sample["agent"]["changed_files"] == [path]
    assert sample["agent"]["steps"] == len(script) and sample["agent"]["tokens"] > 0


@pytest.mark.skipif(importlib.util.find_spec("minisweagent") is None,
                    reason="mini-swe-agent is not installed (pip install -e '.[agents]')")
def test_mini_swe_agent_writes_the_gold_into_a_builtin_instance_and_scores_secure(
    tmp_path: Path
) -> None:
    path, gold = _gold_file()
    encoded = base64.b64encode(gold.encode("utf-8")).decode("ascii")
    write = (f"python3 -c \"import base64, pathlib; pathlib.Path('{path}').write_bytes("
             f"base64.b64decode('{encoded}'))\"")
    script: list[str | Reply] = [
        f"THOUGHT: look.\n\n```mswea_bash_command\n{command}\n```"
        for command in ("ls", f"cat {path}", write, "echo COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT")
    ]
    sample = _run(tmp_path, "mini-swe-agent", f"File `{path}`", script)
    assert sample["quality"] and sample["secure"], sample["reason"]
    assert sample["agent"]["changed_files"] == [path]
    assert sample["agent"]["steps"] == len(script) and sample["agent"]["tokens"] > 0
