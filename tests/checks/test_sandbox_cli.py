"""`asebench sandbox run`: output, verdict summary and the command's exit code."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from asebench.checks.sandbox.cli import add_sandbox_parser


def sandbox_run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="asebench")
    add_sandbox_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["sandbox", "run", *argv])
    code: int = args.handler(args)
    return code


def test_prints_output_verdict_and_exit_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = sandbox_run(
        "--workspace", str(tmp_path), "--", "sh", "-c", 'echo \'{"verdict": "safe"}\'; exit 0'
    )
    captured = capsys.readouterr()
    assert code == 0
    assert captured.out == '{"verdict": "safe"}\n'
    assert 'verdict: {"verdict": "safe"}' in captured.err
    assert "exit code: 0" in captured.err


def test_exits_with_the_command_exit_code_and_says_when_no_verdict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = sandbox_run("--workspace", str(tmp_path), "--", "sh", "-c", "echo oops >&2; exit 7")
    captured = capsys.readouterr()
    assert code == 7
    assert "oops" in captured.err
    assert "no verdict line printed" in captured.err


def test_timeout_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = sandbox_run("--workspace", str(tmp_path), "--timeout", "0.5", "--", "sleep", "30")
    assert code == 124
    assert "killed: timeout" in capsys.readouterr().err
