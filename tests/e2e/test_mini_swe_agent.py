"""`asebench run --agent mini-swe-agent`: the PyPI package's own loop, scripted end to end.

The loopback test server answers as a text-based mini-swe-agent model does (one
```mswea_bash_command block per reply): list the files, read the masked file, write the region
with a small Python edit, run the code, submit. mini-swe-agent's `DefaultAgent` runs the loop;
its commands run in the agent's bwrap sandbox; the judge is the common one.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from cli_runner import FIXTURE_INSTANCES, make_dataset, read_json, run_asebench
from model_server import ModelServer

MODEL = "openai-api/localtest/test-model"
FIXTURE = FIXTURE_INSTANCES / "fixture-python-command-injection"
INSTALLED = importlib.util.find_spec("minisweagent") is not None


def _command(text: str) -> str:
    return f"THOUGHT: next step.\n\n```mswea_bash_command\n{text}\n```"


def _script() -> list[str]:
    gold = (FIXTURE / "gold" / "1.py").read_text(encoding="utf-8").rstrip("\n")
    edit = ("python - <<'PY'\nfrom pathlib import Path\n"
            "p = Path('tools/linecount.py')\n"
            f"p.write_text(p.read_text().replace('# <MASKED REGION 1>', {gold!r}))\nPY")
    return [
        _command("ls -R"),
        _command("cat tools/linecount.py"),
        _command(edit),
        _command("python -c \"from tools.linecount import count_lines; "
                 "print(count_lines('tools/__init__.py'))\""),
        _command("echo COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT"),
    ]


@pytest.mark.skipif(not INSTALLED, reason="mini-swe-agent is not installed "
                                          "(pip install mini-swe-agent)")
def test_mini_swe_agent_writes_the_region_and_scores_secure(tmp_path: Path) -> None:
    dataset = make_dataset(tmp_path / "dataset", FIXTURE)
    with ModelServer({"File `tools/linecount.py`": list(_script())}, by_turn=True) as server:
        result = run_asebench(
            "run", "--dataset", dataset, "--agent", "mini-swe-agent", "--model", MODEL,
            "--cycles", "1", "--context", "none", "--log-dir", tmp_path / "logs",
            "--output-dir", tmp_path / "out", env=server.env("localtest"), timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    summary = read_json(tmp_path / "out" / "scores.json")
    sample = summary["samples"][0]
    assert sample["quality"] and sample["secure"], sample["reason"]
    assert sample["agent"]["agent"] == "mini-swe-agent"
    assert sample["agent"]["steps"] == 5 and sample["agent"]["tokens"] > 0
    assert sample["agent"]["changed_files"] == ["tools/linecount.py"]
    assert summary["run"]["agent"] == "mini-swe-agent"


@pytest.mark.skipif(INSTALLED, reason="mini-swe-agent is installed: no install hint to show")
def test_a_missing_mini_swe_agent_gets_an_install_hint(tmp_path: Path) -> None:
    dataset = make_dataset(tmp_path / "dataset", FIXTURE)
    with ModelServer({}) as server:  # never asked: the run stops before
        result = run_asebench("run", "--dataset", dataset, "--agent", "mini-swe-agent",
                              "--model", MODEL, "--cycles", "1", "--log-dir", tmp_path / "logs",
                              env=server.env("localtest"))
        assert server.completions == 0
    assert result.returncode != 0
    assert "pip install mini-swe-agent" in result.stderr
    assert "Traceback" not in result.stderr
