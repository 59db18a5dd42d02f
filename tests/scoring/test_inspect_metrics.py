"""The Inspect metrics count the cycles the samples hold, so `inspect eval --epochs N` cannot
silently disagree with the task's `cycles`."""

from __future__ import annotations

import math

from inspect_ai.scorer import SampleScore, Score

from asebench.harness.scorer import overall, stability


def _sample(instance: str, secure: list[bool]) -> SampleScore:
    cycles = [{"quality": True, "secure": s} for s in secure]
    return SampleScore(score=Score(value=0.0, metadata={"cycles": cycles}), sample_id=instance)


def test_stability_uses_the_epochs_run_when_they_exceed_the_tasks_cycles() -> None:
    scores = [_sample("a", [True] * 5), _sample("b", [True, True, True, True, False])]
    assert stability(cycles=3)(scores) == 50.0  # five cycles held, the task said three
    assert not math.isnan(overall(cycles=3)(scores))
