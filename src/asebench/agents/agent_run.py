"""What every agent solver does around its own loop: set up the sample's workspace, run the
loop under limits, and record what it used.

`react` and `mini-swe-agent` differ only in the loop itself; the same steps before and after it
keep their records comparable: the masked file(s) are placed in the agent's sandbox
(`prepare_workspace`), the loop runs with its limits applied and its failures caught
(`run_bounded`: a limit reached is recorded, a broken agent is this sample's answer failure,
never a crash of the evaluation), and an `AgentRun` goes in the sample's metadata under
`AGENT_RUN_KEY` for the scorer and the reports.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Generic, TypeVar

import anyio.to_thread
from inspect_ai.solver import TaskState
from inspect_ai.util import Limit, LimitExceededError, apply_limits, sandbox

from asebench.agents.workspace import place_masked_files
from asebench.opened_instance import instance_from_metadata, open_instance

AGENT_RUN_KEY = "asebench_agent"
"""Sample metadata key: the agent's name, what it used, and the limit it hit."""

T = TypeVar("T")


@dataclass(frozen=True)
class AgentRun:
    """What one agent run used: assistant turns, tokens (input + output, as Inspect meters
    them), wall-clock seconds, and the limit it hit (None when it stopped by itself)."""

    agent: str
    steps: int
    tokens: int
    wall_s: float
    limit: str | None = None
    error: str | None = None

    def as_metadata(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Bounded(Generic[T]):
    """How a loop run by `run_bounded` ended: its `result` (None when it did not return), the
    `error` that broke it (`Type: message`), the `limit` it reached (Inspect's message), and
    the wall-clock seconds it took (`wall_s`, rounded to 0.01)."""

    result: T | None
    error: str | None
    limit: str | None
    wall_s: float


async def prepare_workspace(state: TaskState) -> None:
    """Place the sample's masked file(s) in the agent's sandbox (`/workspace`), from the
    instance its metadata names; raises what `open_instance` raises for a broken instance."""
    instance = instance_from_metadata(state.metadata)
    _, task = await anyio.to_thread.run_sync(open_instance, instance)
    await place_masked_files(sandbox(), task)


async def run_bounded(loop: Callable[[], Awaitable[T]], limits: Sequence[Limit]
                      ) -> Bounded[T]:
    """Await `loop()` with `limits` applied: a limit reached ends it and is recorded, any
    other exception is recorded as its error (a broken agent is the sample's answer
    failure); nothing is raised."""
    started = time.monotonic()
    result: T | None = None
    error: str | None = None
    with apply_limits(list(limits), catch_errors=True) as scope:
        try:
            result = await loop()
        except LimitExceededError:
            raise  # recorded by the limit scope
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
    limit = str(scope.limit_error) if scope.limit_error is not None else None
    return Bounded(result, error, limit, round(time.monotonic() - started, 2))
