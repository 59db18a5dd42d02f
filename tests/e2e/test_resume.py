"""A run broken off by a failing model API resumes without asking again for finished samples.

The test server answers a few requests, then fails every request (HTTP 500, or by closing the
connection) until the test heals it. `--max-connections 1` makes the samples run one after the
other and `--max-retries 0` keeps Inspect from retrying a failing request for ever.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from canned_answers import InstanceAnswers
from cli_runner import (
    FIXTURE_INSTANCES,
    SYNTHETIC_INSTANCES,
    make_dataset,
    read_json,
    run_asebench,
)
from model_server import FailureMode, ModelServer

MODEL = "openai-api/localtest/test-model"
INSTANCES = [FIXTURE_INSTANCES / "fixture-python-command-injection",
             SYNTHETIC_INSTANCES / "synthetic-php-xss"]
CYCLES = 2
ANSWERED_BEFORE_OUTAGE = 2


@pytest.mark.parametrize("failure", ["http-500", "close"])
def test_an_interrupted_run_resumes_without_redoing_finished_samples(
    tmp_path: Path, failure: FailureMode
) -> None:
    present = [d for d in INSTANCES if (d / "instance.yaml").is_file()]
    dataset = make_dataset(tmp_path / "dataset", *present)
    answers = [InstanceAnswers.read(d) for d in present]
    n_samples = len(present) * CYCLES
    logs = tmp_path / "logs"
    with ModelServer({a.prompt_key: [a.gold] for a in answers}) as server:
        server.fail_after(ANSWERED_BEFORE_OUTAGE, failure)
        broken = run_asebench(
            "run", "--dataset", dataset, "--model", MODEL, "--cycles", str(CYCLES),
            "--context", "file", "--no-dynamic", "--log-dir", logs,
            "--max-connections", "1", "--max-retries", "0", env=server.env("localtest"),
        )
        assert broken.returncode != 0, "a run with unanswered samples must not pass as finished"
        assert f"asebench run --resume --log-dir {logs}" in broken.stderr
        assert server.completions == ANSWERED_BEFORE_OUTAGE

        server.heal()
        resumed = run_asebench("run", "--resume", "--log-dir", logs,
                               "--max-connections", "1", "--json", tmp_path / "out.json",
                               env=server.env("localtest"))
        assert resumed.returncode == 0, resumed.stdout[-3000:] + resumed.stderr[-3000:]
        assert server.completions == n_samples

    summary = read_json(tmp_path / "out.json")
    assert len(summary["samples"]) == n_samples
    assert summary["n_infra_errors"] == 0
    assert summary["security"] == 100.0
