"""The preparation line names the instances it prepares: all of them, or the first few and
how many more (a run of the whole dataset stays one readable line)."""

from __future__ import annotations

from pathlib import Path

import pytest

from asebench.dataset.load import load_dataset
from asebench.harness import prepare

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "instances"


def test_a_few_instances_are_all_named() -> None:
    loaded = load_dataset(str(FIXTURES))
    assert not loaded.problems
    ids = [instance.id for instance in loaded.instances]
    assert len(ids) == 3
    assert prepare.named(loaded.instances) == ", ".join(ids)


def test_beyond_the_limit_the_rest_are_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = load_dataset(str(FIXTURES))
    monkeypatch.setattr(prepare, "NAMED_AT_MOST", 2)
    first, second = (instance.id for instance in loaded.instances[:2])
    assert prepare.named(loaded.instances) == f"{first}, {second} and 1 more"
