"""The micro-batching policy (`MicroBatcher`): a batch closes at its count or after its window,
requests arriving while a batch runs wait for the next one, a failure reaches every request of
its batch and no other."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence

import pytest

from asebench.checks.batching import MicroBatcher


def double(requests: Sequence[int]) -> list[int]:
    return [2 * r for r in requests]


def test_concurrent_requests_share_one_batch_and_get_their_own_results() -> None:
    batcher = MicroBatcher(double, window=0.2)

    async def main() -> list[int]:
        return list(await asyncio.gather(*(batcher.submit(n) for n in range(5))))

    assert asyncio.run(main()) == [0, 2, 4, 6, 8]
    assert batcher.stats.sizes == [5]


def test_a_batch_closes_at_its_count_without_waiting_for_the_window() -> None:
    batcher = MicroBatcher(double, window=3600, max_batch=2)

    async def main() -> list[int]:
        return list(await asyncio.gather(*(batcher.submit(n) for n in range(4))))

    assert asyncio.run(main()) == [0, 2, 4, 6]  # an hour's window would time the test out
    assert batcher.stats.sizes == [2, 2]


def test_requests_arriving_during_a_running_batch_form_the_next_one() -> None:
    release = threading.Event()

    def slow_first(requests: Sequence[int]) -> list[int]:
        if 0 in requests:
            release.wait(10)
        return double(requests)

    batcher = MicroBatcher(slow_first, window=0.0, slots=1)

    async def main() -> list[int]:
        first = asyncio.ensure_future(batcher.submit(0))
        await asyncio.sleep(0.1)  # batch [0] is running now
        later = [asyncio.ensure_future(batcher.submit(n)) for n in (1, 2, 3)]
        await asyncio.sleep(0.1)
        release.set()
        return [await first] + [await f for f in later]

    assert asyncio.run(main()) == [0, 2, 4, 6]
    assert batcher.stats.sizes == [1, 3]


def test_a_failing_batch_fails_its_requests_and_not_the_next_batch() -> None:
    def fails_on_seven(requests: Sequence[int]) -> list[int]:
        if 7 in requests:
            raise RuntimeError("the tool crashed")
        return double(requests)

    batcher = MicroBatcher(fails_on_seven, window=0.0, max_batch=2)

    async def main() -> list[object]:
        return list(await asyncio.gather(*(batcher.submit(n) for n in (7, 1, 2, 3)),
                                         return_exceptions=True))

    outcome = asyncio.run(main())
    assert [type(o).__name__ for o in outcome[:2]] == ["RuntimeError", "RuntimeError"]
    assert outcome[2:] == [4, 6]


def test_one_batcher_serves_one_event_loop_after_another() -> None:
    batcher = MicroBatcher(double, window=0.0)
    assert asyncio.run(batcher.submit(1)) == 2
    assert asyncio.run(batcher.submit(2)) == 4


def test_nonsense_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="max_batch"):
        MicroBatcher(double, max_batch=0)
