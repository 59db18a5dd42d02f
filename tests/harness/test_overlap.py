"""Preparation steps of different instances overlap (`map_overlapped`), steps sharing a key
(one source) never do, and outcomes come back in input order with failures returned."""

from __future__ import annotations

import threading

import pytest

from asebench.harness.overlap import JOBS_ENV, MAX_JOBS, Outcome, map_overlapped, preparation_jobs


def test_steps_of_different_items_run_at_the_same_time() -> None:
    both_running = threading.Barrier(2, timeout=30)  # passes only if two steps run at once

    def step(item: str) -> str:
        both_running.wait()
        return item.upper()

    outcomes = map_overlapped(step, ["a", "b"], jobs=2)
    assert [(o.result, o.error) for o in outcomes] == [("A", None), ("B", None)]


def test_items_with_the_same_key_run_one_after_the_other() -> None:
    running, most = 0, 0
    lock = threading.Lock()

    def step(item: str) -> str:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        threading.Event().wait(0.05)
        with lock:
            running -= 1
        return item

    map_overlapped(step, ["django-1", "django-2", "django-3"], jobs=3,
                   key=lambda item: item.split("-")[0])
    assert most == 1


def test_a_failing_step_is_returned_in_place_and_the_others_finish() -> None:
    seen: list[str] = []

    def step(item: str) -> int:
        if item == "bad":
            raise ValueError("no such release")
        return len(item)

    def finished(outcome: Outcome[str, int]) -> None:
        seen.append(outcome.item)

    outcomes = map_overlapped(step, ["one", "bad", "three"], jobs=2, finished=finished)
    assert [o.result for o in outcomes] == [3, None, 5]
    assert isinstance(outcomes[1].error, ValueError)
    assert sorted(seen) == ["bad", "one", "three"]


def test_jobs_below_one_are_refused() -> None:
    with pytest.raises(ValueError, match="jobs"):
        map_overlapped(len, ["a"], jobs=0)


def test_preparation_jobs_default_to_the_cpus_between_two_and_four(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(JOBS_ENV, raising=False)
    assert 2 <= preparation_jobs() <= MAX_JOBS


def test_the_environment_sets_the_preparation_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(JOBS_ENV, "1")
    assert preparation_jobs() == 1
    monkeypatch.setenv(JOBS_ENV, "6")
    assert preparation_jobs() == 6


@pytest.mark.parametrize("value", ["0", "-2", "two"])
def test_a_bad_preparation_jobs_value_is_refused_by_name(
        monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(JOBS_ENV, value)
    with pytest.raises(ValueError, match=f"ASEBENCH_PREPARE_JOBS must be a positive integer, "
                       f"got '{value}'"):
        preparation_jobs()
