"""A model API that refuses the request itself (an unknown model name: HTTP 404) stops the run
with that reason and without suggesting `--resume`, which would be refused the same way; an
outage (HTTP 500) still suggests it (tests/e2e/test_resume.py)."""

from __future__ import annotations

from pathlib import Path

from cli_runner import FIXTURE_INSTANCES, make_dataset, run_asebench
from model_server import ModelServer

from asebench.harness.model_errors import all_refused, refusal_status


def test_an_unknown_model_is_a_refusal_without_a_resume_hint(tmp_path: Path) -> None:
    dataset = make_dataset(tmp_path / "dataset",
                           FIXTURE_INSTANCES / "fixture-python-command-injection")
    with ModelServer({}, models={"test-model"}) as server:
        done = run_asebench("run", "--dataset", dataset, "--model",
                            "openai-api/localtest/no-such-model", "--context", "file",
                            "--no-dynamic", "--log-dir", tmp_path / "logs",
                            env=server.env("localtest"))
    assert done.returncode == 1
    assert "asebench run: the model API refused every request (3 of 3 samples" in done.stderr
    assert "404" in done.stderr and "no-such-model` does not exist" in done.stderr
    assert "--resume" not in done.stderr


def test_refusals_are_4xx_other_than_timeouts_conflicts_and_rate_limits() -> None:
    assert refusal_status("Error code: 404 - The model `x` does not exist") == 404
    assert refusal_status("Error code: 401 - invalid api key") == 401
    assert refusal_status("Error code: 429 - slow down") is None
    assert refusal_status("Error code: 500 - the test server is failing") is None
    assert refusal_status("Connection error.") is None
    assert all_refused(["Error code: 404 - a", "Error code: 400 - b"])
    assert not all_refused(["Error code: 404 - a", "Connection error."])
    assert not all_refused([])
