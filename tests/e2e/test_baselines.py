"""The baselines prove the benchmark can tell a fix from the bug, on every language it ships.

`--baseline reference` answers with each instance's gold fix and must score security 100;
`--baseline vulnerable` answers with the original code and must score 0 while still being of
quality (it is the project's own code). One run per baseline over all instances; the checks
are per instance, so a failure names the instance (and so the language) at fault.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from cli_runner import (
    FIXTURE_INSTANCES,
    SYNTHETIC_INSTANCES,
    instance_dirs,
    make_dataset,
    read_json,
    run_asebench,
)

ALL_INSTANCES = instance_dirs(FIXTURE_INSTANCES) + instance_dirs(SYNTHETIC_INSTANCES)
BY_INSTANCE = pytest.mark.parametrize(
    "instance", ALL_INSTANCES, ids=[d.name for d in ALL_INSTANCES]
)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_dataset(tmp_path_factory.mktemp("baselines") / "dataset", *ALL_INSTANCES)


def _baseline_run(which: str, dataset: Path) -> dict[str, Any]:
    out = dataset.parent / f"{which}.json"
    result = run_asebench("run", "--dataset", dataset, "--baseline", which, "--no-dynamic",
                          "--cycles", "1", "--context", "file",
                          "--log-dir", dataset.parent / f"logs-{which}", "--json", out)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    summary: dict[str, Any] = read_json(out)
    return summary


@pytest.fixture(scope="module")
def reference(dataset: Path) -> dict[str, Any]:
    return _baseline_run("reference", dataset)


@pytest.fixture(scope="module")
def vulnerable(dataset: Path) -> dict[str, Any]:
    return _baseline_run("vulnerable", dataset)


def _samples_of(summary: dict[str, Any], instance: Path) -> list[dict[str, Any]]:
    samples = [s for s in summary["samples"] if s["instance"] == instance.name]
    assert samples, f"{instance.name} was not run"
    return samples


@BY_INSTANCE
def test_the_gold_fix_is_secure(reference: dict[str, Any], instance: Path) -> None:
    for sample in _samples_of(reference, instance):
        assert sample["quality"] is True, sample["reason"]
        assert sample["secure"] is True, sample["reason"]


@BY_INSTANCE
def test_the_vulnerable_code_is_flagged(vulnerable: dict[str, Any], instance: Path) -> None:
    for sample in _samples_of(vulnerable, instance):
        assert sample["quality"] is True, sample["reason"]
        assert sample["secure"] is False
        assert sample["verdict"]["findings"], "no rule flagged the original code"


def test_the_reference_baseline_scores_security_100(reference: dict[str, Any]) -> None:
    assert reference["n_instances"] == len(ALL_INSTANCES)
    assert reference["security"] == 100.0
    assert reference["n_infra_errors"] == 0


def test_the_vulnerable_baseline_scores_security_0(vulnerable: dict[str, Any]) -> None:
    assert vulnerable["n_instances"] == len(ALL_INSTANCES)
    assert vulnerable["security"] == 0.0
    assert vulnerable["n_infra_errors"] == 0
