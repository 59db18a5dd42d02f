"""`asebench_probe.timing`: a wall-clock budget for a timing oracle that a loaded machine
cannot turn into a wrong verdict.

A ReDoS PoC calls the candidate vulnerable when its code does not answer within a budget. Every
request is a fresh candidate process, and on a loaded machine (many samples judged at once on
few CPUs) starting that process alone can take seconds: a fixed budget would call an honest
answer vulnerable. `ControlledBudget` gives each request the duration of a control request,
measured in the same conditions (a fresh process doing everything but the work under test,
e.g. importing the module), plus a fixed budget for the work itself:

    limit = control seconds + fixed seconds

Work that itself takes a noticeable share of the control's time on an honest answer (a
tenth of a second where the process starts in a tenth) slows down with the machine as the
control does: `control_factor` counts the control that many times (limit = factor x control +
fixed), so the budget grows with the load in proportion.

A request that misses its limit may have met a busy moment rather than a slow regex: it is
tried once more after a fresh control request (which measures the new moment), and only a
second miss counts. The refreshed limit stays for the requests after it.

    from asebench_probe import candidate, report, require
    from asebench_probe.timing import ControlledBudget

    budget = ControlledBudget(
        lambda: require(candidate.run_python("import lib", timeout=30), "import lib"), 3.0)
    timed = budget.run(lambda limit: candidate.run_python(WORK, timeout=limit))
    if timed.missed:
        report("vulnerable", f"no answer within {timed.limit:.1f}s, twice")

Times are seconds on the judge's clock (`time.monotonic`), the clock `candidate.elapsed` uses.
Standard library only.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from .judge import Timeout

T = TypeVar("T")


@dataclass(frozen=True)
class Timed(Generic[T]):
    """What a request under a `ControlledBudget` gave: its last attempt's outcome and duration
    (`seconds`), the limit that attempt had and the control duration it came from (seconds),
    how many attempts ran (1 or 2), and whether the request missed its limit both times."""

    outcome: T
    seconds: float
    limit: float
    control: float
    attempts: int
    missed: bool


class ControlledBudget:
    """Budgets of the requests of one timing oracle: `control_factor` times a control
    request's duration plus `fixed_s` seconds; a miss is retried once after a fresh control
    request.

    `control` runs the control request (its outcome is not looked at: a control that fails
    should end the script itself, e.g. with `require`); it runs once here, at construction,
    and again before each retry. `clock` gives seconds (monotonic); tests pass their own."""

    def __init__(self, control: Callable[[], object], fixed_s: float, *,
                 control_factor: float = 1.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._control = control
        self._clock = clock
        self.fixed_s = fixed_s
        self.control_factor = control_factor
        self.control_s = 0.0
        """Duration of the latest control request (seconds)."""
        self.measure()

    @property
    def limit(self) -> float:
        """The budget of the next request (seconds): `control_factor` times the latest
        control duration, plus `fixed_s`."""
        return self.control_factor * self.control_s + self.fixed_s

    def measure(self) -> float:
        """Run the control request and keep its duration (seconds, returned)."""
        started = self._clock()
        self._control()
        self.control_s = self._clock() - started
        return self.control_s

    def run(self, request: Callable[[float], T]) -> Timed[T]:
        """Run `request(limit)` (it should use `limit` as its timeout). It misses when it
        gives a `Timeout` or takes `limit` seconds or more; then the control is measured
        again and the request tried once more with the new limit: `missed` is True only when
        that second attempt misses too."""
        attempts = 0
        while True:
            attempts += 1
            limit = self.limit
            started = self._clock()
            outcome = request(limit)
            seconds = self._clock() - started
            missed = isinstance(outcome, Timeout) or seconds >= limit
            if not missed or attempts == 2:
                return Timed(outcome, seconds, limit, self.control_s, attempts, missed)
            self.measure()
