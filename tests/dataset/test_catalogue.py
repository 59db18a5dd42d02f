"""`asebench dataset list|stats`: what a dataset holds, read from its records alone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from asebench.dataset.catalogue import entry, totals
from asebench.dataset.native import load_instance

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "instances" / "fixture-python-command-injection"
ASEBENCH = Path(sys.executable).with_name("asebench")


def test_an_entry_names_source_oracles_and_variants() -> None:
    found = entry(load_instance(FIXTURE))
    assert (found.cwe, found.language) == ("CWE-78", "python")
    assert found.source.startswith("local ")
    assert (found.decisive_rules, found.advisory_rules, found.poc, found.test) == (1, 0, True, True)
    assert found.oracles == "rules(1)+PoC" and found.variants == 6
    stats = totals([found, found])
    assert stats["instances"] == 2 and stats["per_cwe"] == {"CWE-78": 2}
    assert stats["with_poc"] == 2 and stats["without_oracle"] == 0 and stats["variants"] == 12


def test_stats_of_the_builtin_dataset_add_up(tmp_path: Path) -> None:
    out = tmp_path / "stats.json"
    done = subprocess.run([str(ASEBENCH), "dataset", "stats", "--json", str(out)],
                          capture_output=True, text=True, check=False, timeout=300,
                          env={**os.environ, "COLUMNS": "200"})
    assert done.returncode == 0, done.stderr
    stats = json.loads(out.read_text())
    for key in ("per_cwe", "per_language", "per_severity", "per_kind"):
        assert sum(stats[key].values()) == stats["instances"] > 30
    assert "without any security oracle" in done.stdout
    listed = subprocess.run([str(ASEBENCH), "dataset", "list"], capture_output=True,
                            text=True, check=False, timeout=300,
                            env={**os.environ, "COLUMNS": "250"})
    assert listed.returncode == 0 and "sqlparse-CVE-2021-32839" in listed.stdout


def test_list_into_a_pipe_keeps_every_id_whole() -> None:
    """Piped (`dataset list | grep …`), the table is not wrapped at 80 columns: each row is
    one line holding its whole id, which is what a user types next in `--instances`."""
    result = subprocess.run(
        [sys.executable, "-m", "asebench.cli", "dataset", "list"], capture_output=True,
        text=True, timeout=120, env={**os.environ, "COLUMNS": "80"}, check=True)
    ids = [line.split("│")[1].strip() for line in result.stdout.splitlines()
           if line.startswith("│")]
    assert "golang-x-net-html-CVE-2025-22872" in ids
    assert len(ids) == len(set(ids)) > 40
