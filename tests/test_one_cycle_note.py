"""A one-cycle run's stability is 100 by construction: every view of its scores says so (the
terminal did; the HTML page and `compare` showed the 100 alone)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from asebench.report.compare import compare
from asebench.report.html_report import render_report
from asebench.report.notes import ONE_CYCLE


def _summary(cycles: int, model: str = "m/one") -> dict[str, Any]:
    samples = [{"instance": i, "cycle": c, "quality": False, "secure": False, "cwe": "CWE-79",
                "language": "python", "outcome": "judged"}
               for i in ("a-1", "b-2") for c in range(1, cycles + 1)]
    return {"overall": 10.0, "security": 0.0, "quality": 0.0, "stability": 100.0,
            "mode": "asebench", "n_cycles": cycles, "n_instances": 2,
            "n_samples": len(samples), "samples": samples, "by_cwe": {}, "by_language": {},
            "run": {"model": model, "dataset": "builtin", "dataset_digest": "1" * 64,
                    "settings": {"scoring": "asebench", "cycles": cycles}}}


def _run(folder: Path, summary: dict[str, Any]) -> Path:
    folder.mkdir(parents=True)
    (folder / "scores.json").write_text(json.dumps(summary))
    return folder


def test_the_html_page_of_a_one_cycle_run_qualifies_its_stability() -> None:
    assert ONE_CYCLE in render_report(_summary(cycles=1))
    assert "by construction" not in render_report(_summary(cycles=3))


def test_compare_warns_which_runs_have_stability_by_construction(tmp_path: Path) -> None:
    one = compare([_run(tmp_path / "a", _summary(1, "m/one")),
                   _run(tmp_path / "b", _summary(1, "m/two"))], rounds=20)
    assert f"m/one, m/two: {ONE_CYCLE}" in one["warnings"]
    three = compare([_run(tmp_path / "c", _summary(3, "m/one")),
                     _run(tmp_path / "d", _summary(3, "m/two"))], rounds=20)
    assert not any("by construction" in w for w in three["warnings"])
