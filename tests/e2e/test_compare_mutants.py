"""The contamination gap: `asebench compare` of a run on two instances and a run on their
spec-only mutants pairs every original with its mutants and gives the gap with its interval.

The runs are real (`asebench run` with a baseline): the reference baseline on the originals
(S = 100) and the vulnerable baseline on the mutants (S = 0, the mutant's own vulnerable
region), so the gap is known: 100 points of security."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_runner import FIXTURE_INSTANCES, make_dataset, read_json, run_asebench

INSTANCES = [FIXTURE_INSTANCES / "fixture-python-command-injection",
             FIXTURE_INSTANCES / "fixture-javascript-path-traversal"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("gap")
    dataset = make_dataset(tmp / "dataset", *INSTANCES)
    mutated = tmp / "mutated"
    done = run_asebench("mutate", dataset, "--out", mutated, "--per-instance", "2",
                        "--spec-only", "--no-validate", timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    folders = {}
    for name, data, baseline in (("originals", dataset, "reference"),
                                 ("mutants", mutated, "vulnerable"),
                                 ("mutants-reference", mutated, "reference")):
        folders[name] = tmp / "runs" / name
        done = run_asebench("run", "--dataset", data, "--baseline", baseline, "--no-dynamic",
                            "--log-dir", tmp / "logs", "--output-dir", folders[name],
                            timeout=900)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return folders


def test_the_reference_baseline_is_secure_on_the_mutants(runs: dict[str, Path]) -> None:
    scores = read_json(runs["mutants-reference"] / "scores.json")
    assert scores["security"] == 100.0 and scores["n_instances"] == 4
    assert {s["mutated_from"] for s in scores["samples"]} == {i.name for i in INSTANCES}


def test_the_gap_pairs_each_original_with_its_mutants(runs: dict[str, Path],
                                                      tmp_path: Path) -> None:
    out = tmp_path / "compare.json"
    done = run_asebench("compare", runs["originals"], runs["mutants"], "--json", out,
                        "--html", tmp_path / "compare.html")
    assert done.returncode == 0, done.stderr
    [gap] = read_json(out)["contamination"]
    assert (gap["originals"], gap["mutants"]) == ("baseline/reference", "baseline/vulnerable")
    assert gap["paired"] == 2
    assert [(row["instance"], len(row["mutants"]), row["security"])
            for row in gap["per_instance"]] == [(name, 2, [100.0, 0.0])
                                                for name in sorted(i.name for i in INSTANCES)]
    assert gap["security"]["gap"] == 100.0 and gap["security"]["ci95"] == [100.0, 100.0]
    assert "contamination gap" in done.stdout
    assert "contamination gap" in (tmp_path / "compare.html").read_text()


def test_the_mutants_run_compared_with_itself_has_no_gap(runs: dict[str, Path]) -> None:
    done = run_asebench("compare", runs["mutants"], runs["mutants-reference"], "--json",
                        runs["mutants"].parent / "self.json")
    assert done.returncode == 0, done.stderr
    assert read_json(runs["mutants"].parent / "self.json")["contamination"] == []
