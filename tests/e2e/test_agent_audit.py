"""`asebench agent-audit`: everything an agent's sandbox shows, searched for the fix."""

from __future__ import annotations

import json
from pathlib import Path

from cli_runner import FIXTURE_INSTANCES, make_dataset, run_asebench

FIXTURE = FIXTURE_INSTANCES / "fixture-python-command-injection"


def test_the_audit_of_a_fixture_instance_finds_no_leak(tmp_path: Path) -> None:
    dataset = make_dataset(tmp_path / "dataset", FIXTURE)
    result = run_asebench("agent-audit", dataset, "--json", tmp_path / "audit.json",
                          timeout=1800)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "0 hit(s) of 2 telling line(s) in 1 instance(s); 0 not audited" in result.stdout
    report = json.loads((tmp_path / "audit.json").read_text(encoding="utf-8"))
    assert report["leaks"] == [] and report["telling_lines"] == {FIXTURE.name: 2}
