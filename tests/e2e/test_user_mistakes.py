"""A user's mistake on the command line ends with one line saying what is wrong (and what to
do), a non-zero exit, and no traceback."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

import pytest
from cli_runner import run_asebench


def _one_line_error(result: subprocess.CompletedProcess[str], code: int = 2) -> str:
    assert result.returncode == code, result.stdout[-2000:] + result.stderr[-2000:]
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    return lines[-1]


def test_version() -> None:
    result = run_asebench("--version")
    assert result.returncode == 0 and result.stdout.startswith("asebench ")


def test_an_unknown_model_provider_is_named(tmp_path: Path) -> None:
    line = _one_line_error(run_asebench("run", "--model", "opena/gpt-4o",
                                        "--log-dir", tmp_path))
    assert line.startswith("asebench run: --model opena/gpt-4o:") and "not recognized" in line


def test_a_missing_api_key_is_named_on_one_line(tmp_path: Path) -> None:
    result = run_asebench("run", "--model", "openai/gpt-4o", "--log-dir", tmp_path,
                          env={"OPENAI_API_KEY": "", "AZUREAI_OPENAI_API_KEY": ""})
    line = _one_line_error(result)
    assert "OPENAI_API_KEY" in line and "[bold]" not in line


@pytest.mark.parametrize(("option", "value"), [("--cycles", "0"), ("--budget-tokens", "-5"),
                                               ("--cycles", "three")])
def test_a_count_below_one_is_refused_by_its_option(option: str, value: str) -> None:
    line = _one_line_error(run_asebench("run", "--baseline", "reference", option, value))
    assert line.startswith(f"asebench run: error: argument {option}:")


def test_an_unknown_instance_id_gets_close_matches(tmp_path: Path) -> None:
    result = run_asebench("run", "--baseline", "reference", "--log-dir", tmp_path,
                          "--instances", "synthetic-c-comand-injection")
    line = _one_line_error(result)
    assert "no instance 'synthetic-c-comand-injection' in builtin" in line
    assert "did you mean synthetic-c-command-injection" in line


def test_score_on_a_missing_file_a_folder_or_not_a_log(tmp_path: Path) -> None:
    missing = _one_line_error(run_asebench("score", tmp_path / "no-such.eval"))
    assert missing == f"asebench score: {tmp_path / 'no-such.eval'} does not exist"
    folder = _one_line_error(run_asebench("score", tmp_path))
    assert folder == f"asebench score: {tmp_path} is a directory, not a log file"
    text = tmp_path / "notes.txt"
    text.write_text("not a log\n")
    assert "is not an Inspect log" in _one_line_error(run_asebench("score", text))


def test_validate_on_a_missing_path_or_unknown_instance(tmp_path: Path) -> None:
    line = _one_line_error(run_asebench("validate", tmp_path / "nowhere"))
    assert line.startswith("asebench validate:") and "no such dataset directory" in line
    line = _one_line_error(run_asebench("validate", "builtin", "--instances",
                                        "sqlparse-CVE-2021-3283"))
    assert line == ("asebench validate: --instances: no instance 'sqlparse-CVE-2021-3283' in "
                    "builtin; did you mean sqlparse-CVE-2021-32839?")


def test_every_option_says_its_default() -> None:
    for command in ("run", "score", "validate"):
        text = run_asebench(command, "--help").stdout
        assert "(default:" in text, command
    assert "generation rounds (default: 3)" in run_asebench("run", "--help").stdout


def test_a_model_api_that_does_not_answer_fails_with_its_url(tmp_path: Path) -> None:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/v1"
    result = run_asebench(
        "run", "--model", "openai-api/localtest/m", "--model-base-url", url,
        "--instances", "synthetic-c-command-injection", "--cycles", "1", "--no-dynamic",
        "--max-retries", "1", "--log-dir", tmp_path / "logs",
        env={"LOCALTEST_API_KEY": "unused"}, timeout=300)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"1 of 1 samples failed (model openai-api/localtest/m at {url}, 1 retries)" \
        in result.stderr
