"""`asebench_probe.timing`: a timing oracle's budget is a control request's duration plus a
fixed budget, and only a request that misses it twice (the second time after a fresh control)
counts as a miss.

The clock here is a counter the fake requests move forward: each example says how long the
control and the work take, so no test depends on this machine's speed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from asebench.probe.judge import Timeout
from asebench.probe.timing import ControlledBudget


class Clock:
    """Seconds that pass only when a fake request says so."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _steps(clock: Clock, durations: list[float]) -> Iterator[float]:
    """An iterator whose `next` spends the next of `durations` (seconds) on `clock`."""
    for seconds in durations:
        clock.now += seconds
        yield seconds


def _control(clock: Clock, durations: list[float]) -> tuple[list[float], Callable[[], None]]:
    """A control request taking `durations` in turn; (the list of those it ran, the callable)."""
    ran: list[float] = []
    steps = _steps(clock, durations)

    def control() -> None:
        ran.append(next(steps))

    return ran, control


def _work(clock: Clock, durations: list[float]) -> tuple[list[float], Callable[[float], str]]:
    """A request whose attempts take `durations` in turn, and a list of the limits given."""
    limits: list[float] = []
    steps = _steps(clock, durations)

    def request(limit: float) -> str:
        limits.append(limit)
        next(steps)
        return "answered"

    return limits, request


def test_a_slow_start_does_not_make_a_fast_answer_miss() -> None:
    clock = Clock()
    _, control = _control(clock, [4.0])  # a loaded machine: 4 s to start a process
    limits, request = _work(clock, [4.2])  # the same start plus 0.2 s of work
    budget = ControlledBudget(control, 3.0, clock=clock)

    timed = budget.run(request)

    assert not timed.missed and timed.attempts == 1
    assert limits == [7.0] and timed.limit == 7.0 and timed.control == 4.0
    assert timed.outcome == "answered" and timed.seconds == pytest.approx(4.2)


def test_an_answer_slow_every_time_misses() -> None:
    clock = Clock()
    ran, control = _control(clock, [0.5, 0.5])
    limits, request = _work(clock, [9.0, 9.0])
    budget = ControlledBudget(control, 3.0, clock=clock)

    timed = budget.run(request)

    assert timed.missed and timed.attempts == 2
    assert len(ran) == 2  # a fresh control before the second attempt
    assert limits == [3.5, 3.5] and timed.seconds == 9.0


def test_one_miss_then_a_hit_is_no_miss() -> None:
    clock = Clock()
    ran, control = _control(clock, [0.5, 0.6])
    limits, request = _work(clock, [5.0, 0.7])  # a busy moment, then the usual speed
    budget = ControlledBudget(control, 3.0, clock=clock)

    timed = budget.run(request)

    assert not timed.missed and timed.attempts == 2
    assert ran == [0.5, 0.6] and limits == pytest.approx([3.5, 3.6])
    assert timed.limit == pytest.approx(3.6)


def test_a_timeout_is_a_miss_even_when_it_came_back_early() -> None:
    clock = Clock()
    _, control = _control(clock, [0.5, 0.5])
    budget = ControlledBudget(control, 3.0, clock=clock)

    timed = budget.run(lambda limit: Timeout(limit))

    assert timed.missed and isinstance(timed.outcome, Timeout)


def test_the_limit_refreshed_by_a_retry_stays_for_the_next_requests() -> None:
    clock = Clock()
    _, control = _control(clock, [0.5, 2.0])
    limits, request = _work(clock, [4.0, 1.0, 1.0])
    budget = ControlledBudget(control, 3.0, clock=clock)

    budget.run(request)
    budget.run(request)

    assert limits == [3.5, 5.0, 5.0] and budget.limit == 5.0


def test_a_control_factor_grows_the_budget_with_the_control() -> None:
    clock = Clock()
    _, control = _control(clock, [2.0])  # ten times the quiet start: the work slows down too
    limits, request = _work(clock, [7.5])  # 2 s of start, 5.5 s of work that takes 0.55 s quiet
    budget = ControlledBudget(control, 2.0, control_factor=3.0, clock=clock)

    timed = budget.run(request)

    assert limits == [8.0] and not timed.missed
