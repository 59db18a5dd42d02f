"""The command line's help and option errors, read as a new user reads them: every command has
a description, every default is said once, and a mistyped value or instance id is one line."""

from __future__ import annotations

import argparse
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from asebench.cli import _dataset_error_text, _reason_line, build_parser, main
from asebench.dataset.errors import DatasetError, DatasetProblem
from asebench.dataset.load import load_dataset


def _commands(parser: argparse.ArgumentParser, name: str = "asebench"
              ) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    yield name, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub, child in action.choices.items():
                yield from _commands(child, f"{name} {sub}")


def _help(parser: argparse.ArgumentParser) -> str:
    return " ".join(parser.format_help().split())  # argparse wraps at the terminal width


def test_every_command_has_a_description() -> None:
    for name, parser in _commands(build_parser()):
        assert parser.description, name


def test_no_help_says_its_default_twice_or_says_none() -> None:
    for name, parser in _commands(build_parser()):
        text = _help(parser)
        assert "(default: None)" not in text, name
        assert "(default: False)" not in text, name
        assert not re.search(r"default \S+\) \(default: ", text), name


def test_a_default_is_still_said_where_the_help_does_not() -> None:
    [(_, run)] = [(n, p) for n, p in _commands(build_parser()) if n == "asebench run"]
    text = _help(run)
    assert "generation rounds (default: 3)" in text
    assert "an agent's message limit per sample (0: none; default 60)" in text
    [(_, mutate)] = [(n, p) for n, p in _commands(build_parser()) if n == "asebench mutate"]
    assert "(default: 0)" in _help(mutate)  # a zero default is still a default


def test_a_word_where_an_agent_limit_belongs_is_a_one_line_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["run", "--baseline", "reference", "--agent-messages", "sixty"])
    assert stopped.value.code == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last == ("asebench run: error: argument --agent-messages: 'sixty' is not an "
                    "integer (0 or none: no limit)")


def test_an_unknown_instance_id_is_one_line_without_the_keep_going_hint() -> None:
    error = DatasetError([DatasetProblem(
        "sqlparse-CVE-2021-32893", None, "instances",
        "no instance 'sqlparse-CVE-2021-32893' in builtin; did you mean sqlparse-CVE-2021-32839?")])
    assert _dataset_error_text(error, keep_going=False, dataset="builtin") == (
        "asebench run: --instances: no instance 'sqlparse-CVE-2021-32893' in builtin; did you "
        "mean sqlparse-CVE-2021-32839?")


def test_a_bad_instance_still_says_how_to_run_the_rest() -> None:
    error = DatasetError([DatasetProblem("demo", None, "severity", "unknown field")])
    text = _dataset_error_text(error, keep_going=False, dataset="builtin")
    assert text.splitlines() == [
        "asebench run: the dataset has problems (use --keep-going to skip them):",
        "demo [severity]: unknown field"]


def test_a_missing_dataset_folder_or_json_file_is_one_line(tmp_path: Path) -> None:
    for name in ("nowhere", "nowhere.json"):
        spec = str(tmp_path / name)
        try:  # a folder raises at once; a JSON file's problems stop `run` when it prepares
            error = DatasetError(load_dataset(spec).problems)
        except DatasetError as raised:
            error = raised
        text = _dataset_error_text(error, keep_going=False, dataset=spec)
        assert text.startswith(f"asebench run: --dataset {spec}: "), text
        assert "\n" not in text and "--keep-going" not in text


def test_dataset_new_says_what_it_fetches_before_the_slow_part(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "dataset" / "project"
    repo.mkdir(parents=True)
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "init", "-q"], check=True)
    (repo / "tool.py").write_text("def run(name):\n    return open(name).read()\n")
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "v1"], check=True)
    subprocess.run([*git, "tag", "v1"], check=True)
    (repo / "tool.py").write_text(
        "import os\n\n\ndef run(name):\n    return open(os.path.basename(name)).read()\n")
    subprocess.run([*git, "commit", "-qam", "fix"], check=True)
    code = main(["dataset", "new", "--source", f"git:{repo}:v1", "--fixed", "HEAD",
                 "--file", "tool.py", "--id", "demo", "--out", str(tmp_path / "dataset")])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert captured.err.splitlines()[0] == (
        f"asebench: fetching git:{repo}:v1 and the fixed version HEAD, then diffing tool.py")


def test_a_reason_ending_in_a_traceback_is_one_line_naming_the_error() -> None:
    reason = ("poc: no verdict on the gold fix either: poc exited with code 1: Traceback (most "
              "recent call last):\n  File \"/instance/poc.py\", line 3, in <module>\n"
              "FileNotFoundError: [Errno 2] No such file or directory: '/instance/poc.py'\n")
    assert _reason_line(reason) == (
        "poc: no verdict on the gold fix either: poc exited with code 1: Traceback (most "
        "recent call last): … FileNotFoundError: [Errno 2] No such file or directory: "
        "'/instance/poc.py'")
    assert _reason_line("answer is prose with no code") == "answer is prose with no code"
