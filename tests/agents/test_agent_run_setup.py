"""`run_bounded`: an agent's loop under Inspect's real limits; a limit reached or an agent
that breaks is recorded, never raised."""

from __future__ import annotations

import anyio
from inspect_ai.util import time_limit

from asebench.agents.agent_run import run_bounded


async def _answers() -> str:
    return "done"


async def _breaks() -> str:
    raise KeyError("no such tool")


async def _sleeps() -> str:
    await anyio.sleep(5)
    return "too late"


def test_a_loop_that_ends_by_itself_gives_its_result() -> None:
    bounded = anyio.run(run_bounded, _answers, [time_limit(5)])

    assert (bounded.result, bounded.error, bounded.limit) == ("done", None, None)


def test_a_loop_that_raises_is_recorded_as_its_error() -> None:
    bounded = anyio.run(run_bounded, _breaks, [])

    assert bounded.result is None and bounded.limit is None
    assert bounded.error == "KeyError: 'no such tool'"


def test_a_loop_stopped_by_a_limit_records_the_limit() -> None:
    bounded = anyio.run(run_bounded, _sleeps, [time_limit(0.2)])

    assert bounded.result is None and bounded.error is None
    assert bounded.limit == "Time limit exceeded. limit: 0.2 seconds"
    assert 0.1 <= bounded.wall_s < 4
