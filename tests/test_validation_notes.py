"""`asebench validate` calls an instance with only a rule "consistent" (its rule flags the
original and passes the gold), and then says what it did not measure: variants, PoC, test."""

from __future__ import annotations

import io
from pathlib import Path

import yaml
from rich.console import Console

from asebench.dataset.native import load_instance
from asebench.report.validation import coverage_gaps, print_validation
from asebench.validate import InstanceCheck


def _instance(root: Path, **extra: object) -> InstanceCheck:
    (root / "project").mkdir(parents=True)
    (root / "project" / "tool.py").write_text("def run(name):\n    return name\n")
    record = {"id": "demo", "cwe": "CWE-78", "language": "python", "description": "Runs.",
              "source": {"kind": "local", "path": "project"},
              "locations": [{"file": "tool.py", "start": 2, "end": 2,
                             "gold": "    return name\n"}], **extra}
    (root / "instance.yaml").write_text(yaml.safe_dump(record))
    return InstanceCheck(load_instance(root), rule_on_vulnerable=[1], rule_on_fix=[0])


def test_an_instance_with_a_rule_only_is_consistent_and_noted(tmp_path: Path) -> None:
    check = _instance(tmp_path)
    assert check.consistent
    out = io.StringIO()
    print_validation([check], Console(file=out, width=200, no_color=True))
    text = " ".join(out.getvalue().split())
    assert "1/1 instances consistent" in text
    assert ("note: demo has no variants/ (3 secure and 3 vulnerable answers), no PoC, no "
            "functional test: 'consistent' covers only the oracles and answers it has") in text


def test_a_poc_and_a_test_are_not_named_as_missing(tmp_path: Path) -> None:
    (tmp_path / "poc.py").write_text("print('judge')\n")
    (tmp_path / "test.py").write_text("print('judge')\n")
    check = _instance(tmp_path, poc={"run": ["asebench-judge", "poc.py"]},
                      test={"run": ["asebench-judge", "test.py"]})
    assert coverage_gaps(check) == ["variants/ (3 secure and 3 vulnerable answers)"]
