"""Reading a PoC's or test's verdict off a finished command (asebench's protocol and A.S.E's)."""

from __future__ import annotations

from asebench.checks.protocol import ase_marker, read_ase, read_native
from asebench.checks.sandbox.result import SandboxResult


def finished(stdout: str, exit_code: int = 0, stderr: str = "") -> SandboxResult:
    return SandboxResult(exit_code=exit_code, stdout=stdout, stderr=stderr)


def test_reads_a_poc_verdict_and_its_detail() -> None:
    reading = read_native(finished('{"verdict": "vulnerable", "detail": "marker ran"}\n'), "poc")
    assert (reading.verdict, reading.detail, reading.error) == ("vulnerable", "marker ran", None)


def test_takes_the_last_verdict_line_among_other_output() -> None:
    stdout = ('log line\n{"verdict": "vulnerable"}\n{"not": "a verdict"}\n'
              '{"verdict": "safe", "detail": {"n": 1}}\nbye\n')
    reading = read_native(finished(stdout), "poc")
    assert (reading.verdict, reading.detail) == ("safe", '{"n": 1}')


def test_lines_are_split_on_newline_only() -> None:
    # a form feed is not a line break: the JSON after it is not a line of its own
    reading = read_native(finished('noise\x0c{"verdict": "safe"}\n'), "poc")
    assert reading.verdict is None


def test_no_verdict_line_gives_no_verdict() -> None:
    reading = read_native(finished("all good\n"), "poc")
    assert reading.verdict is None and reading.error and "no JSON verdict" in reading.error


def test_non_zero_exit_gives_no_verdict_even_with_a_verdict_line() -> None:
    reading = read_native(finished('{"verdict": "safe"}\n', 1, "Traceback: boom"), "poc")
    assert reading.verdict is None and reading.error and "boom" in reading.error


def test_a_test_verdict_from_a_poc_is_no_verdict() -> None:
    reading = read_native(finished('{"verdict": "pass"}'), "poc")
    assert reading.verdict is None and reading.error and "'pass'" in reading.error


def test_a_timeout_is_never_safe() -> None:
    result = SandboxResult(-9, '{"verdict": "safe"}\n', "", timed_out=True)
    reading = read_native(result, "poc")
    assert reading.verdict is None and reading.error and "timed out" in reading.error


def test_ase_markers_are_read_negative_first() -> None:
    assert ase_marker("poc", "...\n[A.S.E] vulnerability not found\n") is False
    assert ase_marker("poc", "[A.S.E] vulnerability found") is True
    assert ase_marker("test", "[A.S.E] test case passed") is True
    assert ase_marker("status", "built ok") is None


def test_ase_markers_become_the_native_vocabulary() -> None:
    assert read_ase(finished("[A.S.E] vulnerability found"), "poc").verdict == "vulnerable"
    assert read_ase(finished("[A.S.E] image startup failed", 1), "status").verdict == "fail"
    assert read_ase(finished("nothing", 0), "test").error is not None
