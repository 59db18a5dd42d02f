"""A dataset with broken instances: asebench names the instance and the field, and goes on
only when told to (`--keep-going`). `asebench dataset lint` lists every problem."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from cli_runner import fixture_or_fallback, make_dataset, read_json, run_asebench

GOOD = fixture_or_fallback("fixture-python-command-injection")
BROKEN_RULE = """\
rules:
  - id: shell-command
    message: runs a shell: with user input
    languages: [python]
    severity: ERROR
    pattern: os.system(...)
"""
BROKEN_RULE_LINE = 3


def _broken_copy(dataset: Path, new_id: str, **changes: object) -> None:
    """A copy of the good instance under a new id, with some fields of its record replaced."""
    directory = make_dataset(dataset, GOOD) / GOOD.name
    target = dataset / new_id
    directory.rename(target)
    record = yaml.safe_load((target / "instance.yaml").read_text(encoding="utf-8"))
    record["id"] = new_id
    for key, value in changes.items():
        if key == "location":
            record["locations"][0].update(value)
        else:
            record[key] = value
    (target / "instance.yaml").write_text(yaml.safe_dump(record), encoding="utf-8")


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    """The good instance, one whose CWE is `banana`, one whose region ends before it starts."""
    root = tmp_path / "dataset"
    _broken_copy(root, "broken-cwe", cwe="banana")
    _broken_copy(root, "broken-location", location={"start": 9, "end": 3})
    make_dataset(root, GOOD)
    return root


def test_run_stops_and_names_each_bad_instance_and_field(dataset: Path, tmp_path: Path) -> None:
    result = run_asebench("run", "--dataset", dataset, "--baseline", "reference",
                          "--no-dynamic", "--cycles", "1", "--context", "file",
                          "--log-dir", tmp_path / "logs")
    assert result.returncode != 0
    assert "broken-cwe" in result.stderr and "[cwe]" in result.stderr
    assert "broken-location" in result.stderr and "[locations.0]" in result.stderr
    assert "--keep-going" in result.stderr
    assert not (tmp_path / "logs").exists() or not any((tmp_path / "logs").iterdir())


def test_keep_going_runs_the_good_instance_and_reports_the_skipped(
    dataset: Path, tmp_path: Path
) -> None:
    result = run_asebench("run", "--dataset", dataset, "--baseline", "reference",
                          "--no-dynamic", "--cycles", "1", "--context", "file", "--keep-going",
                          "--log-dir", tmp_path / "logs", "--json", tmp_path / "out.json")
    assert result.returncode == 0, result.stderr[-3000:]
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped:")]
    assert any("broken-cwe" in line and "cwe" in line for line in skipped)
    assert any("broken-location" in line and "locations.0" in line for line in skipped)
    summary = read_json(tmp_path / "out.json")
    assert {s["instance"] for s in summary["samples"]} == {GOOD.name}
    assert summary["security"] == 100.0


def test_lint_names_both_bad_instances(dataset: Path) -> None:
    result = run_asebench("dataset", "lint", dataset)
    assert result.returncode != 0
    problems = result.stdout.splitlines()
    assert any(line.startswith("broken-cwe") and "[cwe]" in line for line in problems)
    assert any(line.startswith("broken-location") and "[locations.0]" in line
               and "before start" in line for line in problems)
    assert not any(line.startswith(GOOD.name) for line in problems)


def test_lint_reports_a_rule_yaml_error_with_its_file_and_line(tmp_path: Path) -> None:
    dataset = make_dataset(tmp_path / "dataset", GOOD)
    rule = dataset / GOOD.name / "rules" / "broken.yaml"
    rule.write_text(BROKEN_RULE, encoding="utf-8")
    result = run_asebench("dataset", "lint", dataset)
    assert result.returncode != 0
    assert f"{rule}:{BROKEN_RULE_LINE}" in result.stdout


def test_an_unknown_instance_id_is_named_before_anything_runs(tmp_path: Path) -> None:
    result = run_asebench("run", "--dataset", "builtin", "--instances", "no-such-instance",
                          "--baseline", "reference", "--log-dir", tmp_path / "logs")
    assert result.returncode == 2
    assert "no instance 'no-such-instance' in builtin" in result.stderr
