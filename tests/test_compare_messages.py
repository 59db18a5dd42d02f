"""`asebench compare` as a new user meets it: runs of one provider stay apart in an 80-column
leaderboard, and two runs on different `--instances` of one dataset are refused with that
reason, not only "different dataset content"."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from asebench.report.compare import CompareError, compare
from asebench.report.comparison_view import print_comparison


def _run(folder: Path, model: str, instances: list[str], digest: str,
         dataset: str = "builtin") -> Path:
    """A run folder whose scores.json holds one failed sample per instance."""
    samples = [{"instance": i, "cycle": 1, "quality": False, "secure": False,
                "cwe": "CWE-79", "language": "python", "outcome": "judged"} for i in instances]
    summary: dict[str, Any] = {
        "overall": 10.0, "security": 0.0, "quality": 0.0, "stability": 100.0,
        "mode": "asebench", "n_cycles": 1, "n_instances": len(instances),
        "n_samples": len(instances), "samples": samples,
        "by_cwe": {"CWE-79": {"overall": 10.0}}, "by_language": {"python": {"overall": 10.0}},
        "run": {"model": model, "dataset": dataset, "dataset_digest": digest,
                "settings": {"scoring": "asebench", "cycles": 1}},
    }
    folder.mkdir(parents=True)
    (folder / "scores.json").write_text(json.dumps(summary))
    return folder


def test_runs_on_different_instances_are_refused_naming_the_counts(tmp_path: Path) -> None:
    three = _run(tmp_path / "a", "openai-api/local/pass", ["a-1", "b-2", "c-3"], "1" * 64)
    one = _run(tmp_path / "b", "openai-api/local/prose", ["a-1"], "2" * 64)
    with pytest.raises(CompareError) as refused:
        compare([three, one])
    message = str(refused.value)
    assert "different dataset content" in message
    assert ("they ran different instances (openai-api/local/pass: 3, openai-api/local/prose: "
            "1; 1 shared): run them on the same --instances") in message


def test_a_changed_dataset_on_the_same_instances_says_only_the_content(tmp_path: Path) -> None:
    old = _run(tmp_path / "a", "m/one", ["a-1"], "1" * 64)
    new = _run(tmp_path / "b", "m/two", ["a-1"], "2" * 64)
    with pytest.raises(CompareError) as refused:
        compare([old, new])
    assert "different instances" not in str(refused.value)


def test_two_runs_of_one_provider_stay_apart_in_80_columns(tmp_path: Path) -> None:
    ids = ["a-1", "b-2"]
    comparison = compare([_run(tmp_path / "a", "openai-api/local/pass", ids, "1" * 64),
                          _run(tmp_path / "b", "openai-api/local/prose", ids, "1" * 64)],
                         rounds=50)
    out = io.StringIO()
    print_comparison(comparison, Console(file=out, width=80, no_color=True))
    leaderboard = out.getvalue().split("Overall per CWE")[0]
    names = "".join(line.split("│")[2].strip() for line in leaderboard.splitlines()
                    if line.startswith("│"))
    assert names == "openai-api/local/passopenai-api/local/prose"


def test_one_path_that_does_not_exist_is_named_before_the_count(tmp_path: Path) -> None:
    with pytest.raises(CompareError, match="does not exist"):
        compare([tmp_path / "no-such-run"])
    with pytest.raises(CompareError, match="at least two runs"):
        compare([_run(tmp_path / "a", "m/one", ["a-1"], "1" * 64)])


def test_one_model_on_two_datasets_is_named_by_dataset(tmp_path: Path) -> None:
    original = _run(tmp_path / "a", "m/one", ["a-1"], "1" * 64)
    mutants = _run(tmp_path / "b", "m/one", ["a-1-m1"], "2" * 64, dataset="/data/mutants")
    again = _run(tmp_path / "c", "m/one", ["a-1"], "1" * 64)
    names = {r["run"] for r in compare([original, mutants], force=True, rounds=20)["runs"]}
    assert names == {"m/one on builtin", "m/one on /data/mutants"}
    names = {r["run"] for r in compare([original, again], rounds=20)["runs"]}
    assert names == {"m/one", "m/one #2"}
