"""`asebench validate` judges every variant with every oracle and prints confusion matrices;
a wrong final verdict makes it fail."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "instances" / "fixture-python-command-injection"
ASEBENCH = Path(sys.executable).with_name("asebench")


def _validate(dataset: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    command = [str(ASEBENCH), "validate", str(dataset), "--repeat", "1", "--json", str(out),
               *extra]
    return subprocess.run(command, capture_output=True, text=True, timeout=900, check=False,
                          env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1"})


def test_every_variant_is_judged_and_counted(tmp_path: Path) -> None:
    result = _validate(FIXTURE, tmp_path / "v.json")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    report = json.loads((tmp_path / "v.json").read_text())
    assert report["total"]["final"]["right-secure"] == 3
    assert report["total"]["final"]["right-vulnerable"] == 3
    assert report["accuracy"]["final"] == 100.0
    assert "all variants (6 in 1 instances)" in result.stdout


def test_a_wrong_final_verdict_fails_validation(tmp_path: Path) -> None:
    copy = tmp_path / "instance"
    shutil.copytree(FIXTURE, copy)
    mislabelled = copy / "variants" / "secure-quoted.md"
    mislabelled.write_text(mislabelled.read_text().replace(
        "expect: secure", "expect: vulnerable\nbypass: 'none: mislabelled on purpose'"))
    result = _validate(copy, tmp_path / "v.json", "--no-dynamic")  # the rule decides here
    assert result.returncode == 1
    report = json.loads((tmp_path / "v.json").read_text())
    assert report["total"]["final"]["false-secure"] == 1
    assert any("secure-quoted (expect vulnerable) judged false-secure" in p
               for p in report["instances"][0]["problems"])
