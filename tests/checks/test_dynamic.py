"""The verdict protocol: one JSON line and exit 0, anything else is an infrastructure error."""

from __future__ import annotations

from pathlib import Path

from asebench.checks.dynamic import parse_verdict, run_dynamic_check
from asebench.checks.sandbox.result import SandboxResult
from asebench.dataset.schema import Command


def finished(stdout: str, exit_code: int = 0, stderr: str = "") -> SandboxResult:
    return SandboxResult(exit_code=exit_code, stdout=stdout, stderr=stderr)


def test_reads_a_poc_verdict() -> None:
    verdict = parse_verdict(finished('{"verdict": "vulnerable", "detail": "marker ran"}\n'), "poc")
    assert (verdict.verdict, verdict.detail, verdict.infra_error) == (
        "vulnerable",
        "marker ran",
        None,
    )
    assert verdict.triggered


def test_reads_a_test_verdict() -> None:
    verdict = parse_verdict(finished('{"verdict": "pass"}'), "test")
    assert verdict.passed


def test_takes_the_last_verdict_line_among_other_output() -> None:
    stdout = (
        'log line\n{"verdict": "vulnerable"}\n{"not": "a verdict"}\n'
        '{"verdict": "safe", "detail": {"n": 1}}\nbye\n'
    )
    verdict = parse_verdict(finished(stdout), "poc")
    assert (verdict.verdict, verdict.detail) == ("safe", '{"n": 1}')


def test_missing_verdict_line_is_an_infrastructure_error() -> None:
    verdict = parse_verdict(finished("all good\n"), "poc")
    assert verdict.verdict is None
    assert verdict.infra_error is not None and "no JSON verdict" in verdict.infra_error


def test_non_zero_exit_is_an_infrastructure_error_even_with_a_verdict() -> None:
    result = finished('{"verdict": "safe"}\n', exit_code=1, stderr="Traceback: boom")
    verdict = parse_verdict(result, "poc")
    assert verdict.verdict is None
    assert verdict.infra_error is not None and "boom" in verdict.infra_error


def test_a_test_verdict_from_a_poc_is_an_infrastructure_error() -> None:
    verdict = parse_verdict(finished('{"verdict": "pass"}'), "poc")
    assert verdict.verdict is None
    assert verdict.infra_error is not None and "'pass'" in verdict.infra_error


def test_timeout_is_an_infrastructure_error_never_safe() -> None:
    result = SandboxResult(exit_code=-9, stdout='{"verdict": "safe"}\n', stderr="", timed_out=True)
    verdict = parse_verdict(result, "poc")
    assert verdict.verdict is None
    assert verdict.infra_error is not None and "timed out" in verdict.infra_error


def test_runs_a_poc_in_the_sandbox(tmp_path: Path) -> None:
    command = Command(run=["sh", "-c", 'echo \'{"verdict": "safe", "detail": "ok"}\''])
    verdict = run_dynamic_check(command, "poc", workspace=tmp_path, instance_dir=None, env_dir=None)
    assert (verdict.verdict, verdict.attempts) == ("safe", 1)


def test_retries_an_infrastructure_error_once(tmp_path: Path) -> None:
    counter = "attempts.txt"
    command = Command(run=["sh", "-c", f"echo x >> {counter}; exit 3"])
    verdict = run_dynamic_check(
        command, "test", workspace=tmp_path, instance_dir=None, env_dir=None
    )
    assert verdict.attempts == 2
    assert verdict.infra_error is not None and "exited with code 3" in verdict.infra_error
    assert (tmp_path / counter).read_text() == "x\nx\n"


def test_flaky_infrastructure_recovers_on_the_retry(tmp_path: Path) -> None:
    script = 'if [ -e once ]; then echo \'{"verdict": "pass"}\'; else touch once; exit 1; fi'
    verdict = run_dynamic_check(
        Command(run=["sh", "-c", script]),
        "test",
        workspace=tmp_path,
        instance_dir=None,
        env_dir=None,
    )
    assert (verdict.verdict, verdict.infra_error, verdict.attempts) == ("pass", None, 2)
