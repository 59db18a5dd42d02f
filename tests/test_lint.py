"""`asebench dataset lint` runs the run's own preflight: every instance `run` would skip is a
lint problem, and what `run` would carry on with despite a fault is a lint note; each finding
is one line naming instance, file and field."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from asebench.cli import main
from asebench.code.task import mask_instance
from asebench.dataset.native import load_instance
from asebench.dataset.semgrep_validation import rejection
from asebench.harness.prepare import PromptOptions
from asebench.harness.task import prepare_dataset
from asebench.lint import lint_dataset

CODE = "import os\n\n\ndef run(name):\n    os.system('cat ' + name)\n    return 0\n"
GOLD = "    subprocess.run(['cat', name], check=False)\n"
RULE = ("rules:\n  - id: os-system\n    languages: [python]\n    severity: ERROR\n"
        "    message: shell\n    pattern: os.system(...)\n")


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
          tmp_path_factory: pytest.TempPathFactory) -> None:
    monkeypatch.setenv("ASEBENCH_CACHE", str(tmp_path / "cache"))
    # semgrep's verdicts on rule files are keyed by content: one store for the whole module
    # spares a semgrep start per test
    shared = tmp_path_factory.getbasetemp() / "lint-rule-checks"
    shared.mkdir(exist_ok=True)
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "rule-checks").symlink_to(shared)


def _instance(root: Path, name: str, *, code: str = CODE, rule: str = RULE,
              **record: Any) -> Path:
    """A native instance `name` with a local project holding `tool.py` (= `code`)."""
    directory = root / name
    (directory / "project").mkdir(parents=True)
    (directory / "project" / "tool.py").write_text(code)
    (directory / "rules").mkdir()
    (directory / "rules" / "shell.yaml").write_text(rule)
    full = {"id": name, "cwe": "CWE-78", "language": "python", "description": "Runs cat.",
            "source": {"kind": "local", "path": "project"},
            "locations": [{"file": "tool.py", "start": 5, "end": 5, "gold": GOLD}], **record}
    (directory / "instance.yaml").write_text(yaml.safe_dump(full))
    return directory


def _findings(dataset: Path) -> tuple[set[tuple[str, str | None]], set[tuple[str, str | None]]]:
    report = lint_dataset(str(dataset))
    return ({(p.instance, p.field) for p in report.problems},
            {(n.instance, n.field) for n in report.notes})


def test_a_clean_instance_has_no_finding(tmp_path: Path) -> None:
    _instance(tmp_path, "clean")
    assert lint_dataset(str(tmp_path)).lines() == []


def test_a_region_past_the_end_of_the_file_counted_on_newlines_is_a_problem(
    tmp_path: Path,
) -> None:
    # five lines on "\n", seven to str.splitlines() (form feed, line separator)
    code = "import os\x0c\n\ndef run(name):\u2028\n    os.system('cat ' + name)\n    return 0\n"
    _instance(tmp_path, "short-file", code=code, locations=[
        {"file": "tool.py", "start": 5, "end": 6, "gold": GOLD}])
    report = lint_dataset(str(tmp_path))
    [problem] = report.problems
    assert (problem.instance, problem.field) == ("short-file", "locations.0.end")
    assert "has 5 line(s)" in problem.message


def test_missing_gold_and_gold_equal_to_the_vulnerable_code_are_notes(tmp_path: Path) -> None:
    _instance(tmp_path, "no-gold", locations=[{"file": "tool.py", "start": 5, "end": 5}])
    _instance(tmp_path, "same-gold", locations=[
        {"file": "tool.py", "start": 5, "end": 5, "gold": "os.system('cat ' + name)\n"}])
    problems, notes = _findings(tmp_path)
    assert problems == set()
    assert notes == {("no-gold", "locations.0.gold"), ("same-gold", "locations.0.gold")}


def test_a_check_on_the_single_sandbox_protocol_is_a_note(tmp_path: Path) -> None:
    directory = _instance(tmp_path, "old-poc", poc={"run": ["python3", "/instance/poc.py"]},
                          test={"run": ["asebench-judge", "test.py"]})
    (directory / "poc.py").write_text("print('{}')\n")
    (directory / "test.py").write_text("print('{}')\n")
    problems, notes = _findings(tmp_path)
    assert problems == set() and notes == {("old-poc", "poc.run")}
    [note] = lint_dataset(str(tmp_path)).notes
    assert "can forge it" in note.message and "[asebench-judge, SCRIPT]" in note.message


def test_an_unreadable_rule_file_is_a_problem_naming_its_line(tmp_path: Path) -> None:
    directory = _instance(tmp_path, "bad-rule", rule="rules:\n  - id: x\n    pattern: [open\n")
    report = lint_dataset(str(tmp_path))
    [problem] = report.problems
    assert (problem.instance, problem.field) == ("bad-rule", "rules.0")
    assert f"{directory / 'rules' / 'shell.yaml'}:4" in problem.message


def _git_project(root: Path) -> tuple[Path, str]:
    repo = root / "origin"
    repo.mkdir()
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "--quiet"], check=True)
    (repo / "tool.py").write_text(CODE)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "--quiet", "-m", "vulnerable"], check=True)
    sha = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True,
                         check=True).stdout.strip()
    return repo, sha


def test_a_mutable_revision_is_a_note_and_a_missing_revision_a_problem(
    tmp_path: Path,
) -> None:
    dataset = tmp_path / "dataset"
    dataset.mkdir()
    _git_project(dataset)  # dataset/origin: named relative to each instance folder
    _instance(dataset, "at-head", source={"kind": "git", "url": "../origin", "rev": "HEAD"})
    _instance(dataset, "no-such-rev", source={"kind": "git", "url": "../origin", "rev": "v9"})
    problems, notes = _findings(dataset)
    assert notes == {("at-head", "source.rev")}
    assert problems == {("no-such-rev", "source")}


def test_what_run_skips_lint_reports(tmp_path: Path) -> None:
    _instance(tmp_path, "clean")
    _instance(tmp_path, "no-gold", locations=[{"file": "tool.py", "start": 5, "end": 5}])
    _instance(tmp_path, "bad-rule", rule="rules: [\n")
    _instance(tmp_path, "past-end", locations=[
        {"file": "tool.py", "start": 6, "end": 9, "gold": GOLD}])
    _instance(tmp_path, "bad-cwe", cwe="banana")
    preparation = prepare_dataset(str(tmp_path), PromptOptions("none", 0), keep_going=True,
                                  instances=None)
    ran = {ready.instance.id for ready in preparation.ready}
    report = lint_dataset(str(tmp_path))
    assert ran == {"clean", "no-gold"}
    assert {p.instance for p in report.problems} == {"bad-rule", "past-end", "bad-cwe"}
    assert {str(p) for p in preparation.problems} == set(report.lines()[:len(report.problems)])


def test_the_command_prints_one_line_per_finding_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _instance(tmp_path, "no-gold", locations=[{"file": "tool.py", "start": 5, "end": 5}])
    _instance(tmp_path, "past-end", locations=[
        {"file": "tool.py", "start": 6, "end": 9, "gold": GOLD}])
    assert main(["dataset", "lint", str(tmp_path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"past-end ({tmp_path / 'cache'}")  # the fetched file
    assert lines[0].endswith("(counted on \\n)") and "[locations.0.end]" in lines[0]
    assert lines[1] == f"no-gold ({tmp_path / 'no-gold'}) [locations.0.gold]: no gold fix"
    assert lines[2].startswith("2 problem(s): 1 stop `asebench run`")


def test_no_fetch_runs_only_the_checks_that_need_no_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _instance(tmp_path, "past-end", locations=[
        {"file": "tool.py", "start": 6, "end": 9, "gold": GOLD}])
    assert main(["dataset", "lint", "--no-fetch", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "0 problem(s)" in out and "not checked: the sources of 1 instance(s)" in out


def test_lint_is_silent_about_a_form_feed_file_only_when_the_mask_hides_the_right_lines(
    tmp_path: Path,
) -> None:
    # the region names lines 6-7 counted on "\n"; a form feed above it is a line break to
    # str.splitlines(), which would shift the mask one line up
    code = "import os\n\x0c\n\n\ndef run(name):\n    os.system('cat ' + name)\n    return 0\n"
    directory = _instance(tmp_path, "form-feed", code=code, locations=[
        {"file": "tool.py", "start": 6, "end": 7, "gold": GOLD + "    return 1\n"}])
    instance = load_instance(directory)
    masked = mask_instance(instance, directory / "project").files[0].originals[1]
    mask_is_right = masked == "    os.system('cat ' + name)\n    return 0\n"
    report = lint_dataset(str(tmp_path))
    if mask_is_right:
        assert report.lines() == []
    else:  # the masker still splits on more than "\n": lint must say so
        assert [(p.field, "not lines 6-7" in p.message) for p in report.problems] == [
            ("locations.0", True)]


def test_a_location_file_that_is_a_symlink_out_of_a_git_tree_is_a_problem(
    tmp_path: Path,
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("GIT_LINK_CANARY_5b7\n" * 6)
    secret.chmod(0o600)
    repo = tmp_path / "dataset" / "origin"
    repo.mkdir(parents=True)
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "--quiet"], check=True)
    (repo / "tool.py").symlink_to(secret)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "--quiet", "-m", "a link"], check=True)
    sha = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True,
                         check=True).stdout.strip()
    _instance(tmp_path / "dataset", "linked", source={"kind": "git", "url": "../origin",
                                                      "rev": sha})
    report = lint_dataset(str(tmp_path / "dataset"))
    [problem] = report.problems
    assert problem.field == "locations.0.file"
    assert "symlink that leaves the source tree" in problem.message
    assert "GIT_LINK_CANARY" not in "\n".join(report.lines())


SEMGREP_REJECTS = ("rules:\n  - id: misspelt-key\n    languages: [python]\n    severity: ERROR\n"
                   "    message: shell\n    patern: os.system(...)\n")


def test_a_rule_semgrep_rejects_is_a_problem_once_per_file_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _instance(tmp_path / "dataset", "clean")
    _instance(tmp_path / "dataset", "misspelt", rule=SEMGREP_REJECTS)
    [problem] = lint_dataset(str(tmp_path / "dataset")).problems
    assert (problem.instance, problem.field) == ("misspelt", "rules.0")
    assert "semgrep rejects it" in problem.message and "line 2" in problem.message
    # the verdicts are cached by content: a second lint starts no semgrep at all
    monkeypatch.setattr("asebench.dataset.semgrep_validation._check", _no_semgrep)
    assert [str(p) for p in lint_dataset(str(tmp_path / "dataset")).problems] == [str(problem)]


def _no_semgrep(*_args: object) -> None:
    raise AssertionError("semgrep ran although every rule file was validated before")


def test_a_rule_alias_bomb_is_refused_before_semgrep_sees_it(tmp_path: Path) -> None:
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"] + [
        f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 9)]
    bomb = RULE + "\n".join(levels) + "\n"
    directory = _instance(tmp_path, "rule-bomb", rule=bomb)
    [problem] = lint_dataset(str(tmp_path)).problems
    assert problem.field == "rules.0" and "alias bomb" in problem.message
    assert str(directory / "rules" / "shell.yaml") in problem.message


def test_a_semgrep_failure_that_is_not_about_the_rule_rejects_nothing() -> None:
    rule_error = {"type": ["Rule parse error"], "level": "error",
                  "short_msg": "Invalid rule schema", "spans": [{"start": {"line": 4}}]}
    fatal = {"type": "Fatal error", "level": "error", "message": "Out of memory"}
    warning = {"type": "Rule parse error", "level": "warn", "message": "deprecated key"}
    assert rejection({"errors": []}, 0) is None
    assert rejection({"errors": [warning]}, 0) is None
    assert rejection({"errors": [fatal]}, 2) is False  # says nothing about the rule
    assert rejection({"errors": []}, 2) is False        # failed without saying why
    assert rejection(None, 2) is False                 # no report at all
    assert rejection({"errors": [fatal, rule_error]}, 7) == (
        "semgrep rejects it: Rule parse error: Invalid rule schema (line 4)")
