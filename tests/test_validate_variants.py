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
    assert "asebench: validated 1/1: fixture-python-command-injection (" in result.stderr


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


OVERBROAD = """rules:
  - id: any-shell-true
    languages: [python]
    severity: WARNING
    message: a shell is started (flags quoted arguments too)
    pattern: subprocess.$RUN(..., shell=True, ...)
{metadata}"""


def _with_overbroad_rule(tmp_path: Path, metadata: str) -> Path:
    copy = tmp_path / "instance"
    shutil.copytree(FIXTURE, copy)
    (copy / "rules" / "overbroad.yaml").write_text(OVERBROAD.format(metadata=metadata))
    return copy


def test_a_decisive_rule_that_fails_a_secure_variant_fails_validation(tmp_path: Path) -> None:
    result = _validate(_with_overbroad_rule(tmp_path, ""), tmp_path / "v.json", "--no-dynamic")
    assert result.returncode == 1
    report = json.loads((tmp_path / "v.json").read_text())["instances"][0]
    assert any(p.startswith("rule any-shell-true is decisive but fails the secure variant(s) "
                            "secure-quoted") for p in report["problems"])
    assert {"rule": "any-shell-true", "role": "decisive"}.items() <= report["rules"][1].items()


def test_an_advisory_rule_is_reported_but_never_fails_a_secure_variant(tmp_path: Path) -> None:
    metadata = ("    metadata:\n      role: advisory\n"
                "      role_reason: flags shlex.quote'd commands (secure-quoted)\n")
    # the decisive rule decides alone here (no PoC run): the advisory finding must not enter
    result = _validate(_with_overbroad_rule(tmp_path, metadata), tmp_path / "v.json",
                       "--no-dynamic")
    assert result.returncode == 0, result.stdout[-3000:]
    report = json.loads((tmp_path / "v.json").read_text())
    rules = {r["rule"]: r for r in report["instances"][0]["rules"]}
    assert rules["any-shell-true"]["role"] == "advisory"
    assert rules["any-shell-true"]["false-insecure"] == 1  # measured, and did not decide
    assert rules["python-shell-command-from-parameter"]["status"] == "ok"
    assert report["total"]["final"]["right-secure"] == 3
    secure_quoted = next(v for v in report["instances"][0]["variants"]
                         if v["variant"] == "secure-quoted")
    assert secure_quoted["reason"].startswith("secure (advisory rule any-shell-true")
    assert "rules of fixture-python-command-injection" in result.stdout
