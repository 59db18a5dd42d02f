"""Give one sample a sandbox for its functional test and PoC when Inspect has not given one."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from asebench.checks.environment import build_environment
from asebench.checks.sandbox.inspect_provider import BwrapSandboxConfig, BwrapSandboxEnvironment
from asebench.dataset.schema import Instance


def bwrap_config(instance: Instance, tree: Path, tree_digest: str | None = None
                 ) -> BwrapSandboxConfig:
    """The sandbox of a native instance: its source tree, its directory, its environment."""
    env_dir = build_environment(instance.environment, instance.language, source_root=tree,
                                source_digest=tree_digest)
    return BwrapSandboxConfig(base=tree, instance_dir=instance.root, env_dir=env_dir)


@asynccontextmanager
async def bwrap_sandbox(instance: Instance, tree: Path) -> AsyncIterator[BwrapSandboxEnvironment]:
    """A fresh bwrap sandbox over a copy of `tree`, removed afterwards (used outside Inspect:
    `asebench validate`, `asebench score --rejudge`)."""
    config = await asyncio.to_thread(bwrap_config, instance, tree)
    environment = await asyncio.to_thread(BwrapSandboxEnvironment, config)
    try:
        yield environment
    finally:
        await asyncio.to_thread(environment.remove)

