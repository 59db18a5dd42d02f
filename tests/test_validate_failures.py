"""`asebench validate` reports what cannot be checked, and checks the rest."""

import shutil
from pathlib import Path

import pytest
import yaml

from asebench.dataset.load import load_dataset
from asebench.validate import validate_instances

SYNTHETIC = Path(__file__).resolve().parents[1] / "src/asebench/data/builtin/synthetic"


@pytest.mark.network
def test_a_release_that_cannot_be_downloaded_is_named_with_its_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASEBENCH_CACHE", str(tmp_path / "cache"))
    shutil.copytree(SYNTHETIC / "synthetic-php-xss", tmp_path / "ds" / "synthetic-php-xss")
    broken = tmp_path / "ds" / "missing-release"
    shutil.copytree(SYNTHETIC / "synthetic-php-xss", broken)
    record = yaml.safe_load((broken / "instance.yaml").read_text())
    record["id"] = "missing-release"
    record["source"] = {"kind": "pypi", "name": "asebench-no-such-package-xyz",
                        "version": "0.0.1"}
    (broken / "instance.yaml").write_text(yaml.safe_dump(record))

    checks = {c.instance.id: c for c in validate_instances(
        load_dataset(str(tmp_path / "ds")).instances, repeat=1, dynamic=False)}

    assert checks["synthetic-php-xss"].consistent
    problem = " ".join(checks["missing-release"].problems)
    assert "asebench-no-such-package-xyz" in problem
    assert "pip download" in problem


def test_an_instance_whose_rules_miss_the_vulnerability_is_inconsistent(tmp_path: Path) -> None:
    target = tmp_path / "ds" / "synthetic-php-xss"
    shutil.copytree(SYNTHETIC / "synthetic-php-xss", target)
    for rule in (target / "rules").iterdir():
        rule.write_text("rules:\n  - id: never\n    languages: [php]\n    severity: INFO\n"
                        "    message: m\n    pattern: this_function_does_not_exist()\n")
    [check] = validate_instances(load_dataset(str(tmp_path / "ds")).instances, repeat=1,
                                 dynamic=False)
    assert not check.consistent
    assert "decisive rules do not flag the vulnerable code" in check.problems
