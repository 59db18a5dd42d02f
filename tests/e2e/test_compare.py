"""`asebench compare`: two runs on one dataset give a leaderboard and paired differences; runs
on different datasets are refused unless forced."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_runner import FIXTURE_INSTANCES, make_dataset, read_json, run_asebench

INSTANCES = [FIXTURE_INSTANCES / "fixture-python-command-injection",
             FIXTURE_INSTANCES / "fixture-javascript-path-traversal"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("compare")
    dataset = make_dataset(tmp / "dataset", *INSTANCES)
    other = make_dataset(tmp / "other", INSTANCES[0])
    folders = {}
    for name, data, baseline in (("reference", dataset, "reference"),
                                 ("vulnerable", dataset, "vulnerable"),
                                 ("other", other, "reference")):
        folders[name] = tmp / "runs" / name
        done = run_asebench("run", "--dataset", data, "--baseline", baseline, "--cycles", "2",
                            "--no-dynamic", "--log-dir", tmp / "logs",
                            "--output-dir", folders[name], timeout=900)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return folders


def test_two_runs_on_one_dataset_give_a_leaderboard(runs: dict[str, Path],
                                                    tmp_path: Path) -> None:
    out = tmp_path / "compare.json"
    done = run_asebench("compare", runs["vulnerable"], runs["reference"] / "scores.json",
                        "--json", out, "--html", tmp_path / "compare.html")
    assert done.returncode == 0, done.stderr
    comparison = read_json(out)
    assert [r["run"] for r in comparison["runs"]] == ["baseline/reference",
                                                      "baseline/vulnerable"]
    assert comparison["runs"][0]["security"] == 100.0
    assert comparison["runs"][1]["security"] == 0.0
    [pair] = comparison["pairs"]
    assert pair["shared"] == 2 and pair["difference"]["security"] in (100.0, -100.0)
    assert "leaderboard" in done.stdout and "CWE-78" in done.stdout
    assert "<h2>leaderboard" in (tmp_path / "compare.html").read_text()


def test_runs_on_different_datasets_are_refused_unless_forced(runs: dict[str, Path]) -> None:
    refused = run_asebench("compare", runs["reference"], runs["other"])
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "different dataset content" in refused.stderr and "--force" in refused.stderr
    forced = run_asebench("compare", runs["reference"], runs["other"], "--force")
    assert forced.returncode == 0 and "warning:" in forced.stdout


def test_a_path_that_is_no_run_is_named(tmp_path: Path, runs: dict[str, Path]) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    done = run_asebench("compare", runs["reference"], tmp_path / "notes.txt")
    assert done.returncode == 2
    assert done.stderr.strip().startswith(f"asebench compare: {tmp_path / 'notes.txt'}:")
