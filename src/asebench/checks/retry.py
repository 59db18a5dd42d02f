"""The one retry policy for infrastructure failures (a scanner crash, a sandbox that did not
start, a command that gave no verdict on gold code either).

A check returns a value that either is a result or carries an infrastructure error; it is tried
up to `attempts` times while `failed(value)` holds, and the last value is returned as is (never
raised), so the caller records the failure apart from model answers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")

ATTEMPTS = 2
"""Tries of one check before its infrastructure failure is recorded."""


def retry(run: Callable[[], T], failed: Callable[[T], bool], attempts: int = ATTEMPTS) -> T:
    """`run()` until `failed(result)` is false or `attempts` tries were made (>= 1)."""
    result = run()
    for _ in range(attempts - 1):
        if not failed(result):
            break
        result = run()
    return result


async def retry_async(
    run: Callable[[], Awaitable[T]], failed: Callable[[T], bool], attempts: int = ATTEMPTS
) -> T:
    """The awaitable form of `retry`."""
    result = await run()
    for _ in range(attempts - 1):
        if not failed(result):
            break
        result = await run()
    return result
