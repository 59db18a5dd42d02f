"""The control run: the same command on the gold fix, to tell the candidate's failures from the
infrastructure's.

A PoC or test that gives no verdict on a candidate (a hang, an `exit`, a crash, a sandbox that
reports an error) is the candidate's failure when the same command gives a verdict on the gold
fix (on the original code when the instance has no gold) in a fresh sandbox; only a failure that
happens there too is infrastructure. Control outcomes are cached per instance, sandbox kind and
check, for the life of the process; a failing control is not cached (it may be transient).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass

from inspect_ai.util import SandboxEnvironment

from asebench.checks.retry import retry_async
from asebench.checks.runner import CheckOutcome, DynamicCheck, run_check, write_files
from asebench.dataset.schema import Instance

SandboxFactory = Callable[[], AbstractAsyncContextManager[SandboxEnvironment]]
"""Opens a fresh sandbox over the instance's original tree (closed after the control run)."""

_cache: dict[tuple[str, ...], CheckOutcome] = {}
_locks: dict[tuple[object, ...], asyncio.Lock] = {}


def instance_key(instance: Instance) -> str:
    """A digest of everything in the instance record that can change a command's outcome."""
    record = instance.model_dump(mode="json")
    record["root"] = str(instance.root) if instance.root else None
    return hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()[:20]


@dataclass(frozen=True)
class Control:
    """How to run a check on the reference code of one instance.

    `files` are written over the original tree before the command (the gold fix; empty when
    the instance has no gold, so the original code is the reference); `label` names it in
    verdict details; `sandbox_kind` keys the cache (`bwrap`, `docker`)."""

    instance: Instance
    files: dict[str, str]
    label: str
    root: str
    sandbox_kind: str
    open_sandbox: SandboxFactory

    async def outcome(self, check: DynamicCheck) -> CheckOutcome:
        """The check's outcome on the reference code (cached once it gave a verdict)."""
        key = (instance_key(self.instance), self.sandbox_kind, check.kind, *check.argv)
        lock = _locks.setdefault((asyncio.get_running_loop(), key), asyncio.Lock())
        async with lock:
            cached = _cache.get(key)
            if cached is not None:
                return cached
            outcome = await retry_async(lambda: self._run(check), lambda o: not o.decided)
            if outcome.decided:
                _cache[key] = outcome
            return outcome

    async def _run(self, check: DynamicCheck) -> CheckOutcome:
        async with self.open_sandbox() as sandbox:
            await write_files(sandbox, self.root, self.files)
            return await run_check(sandbox, check)


def forget_controls() -> None:
    """Empty the control cache (tests; a dataset edited during a long-lived process)."""
    _cache.clear()


