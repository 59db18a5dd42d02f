"""`asebench-on-start`: a sample's bwrap sandbox, made when the sample starts rather than when
the task is built (`harness/on_start.py`).

A bwrap sandbox shows the instance's source tree and its built environment, so its config can
only be written once the source is fetched and the environment built. This provider's config
names no path: its `sample_init` reads the instance from the sample's metadata, opens it
(fetch and mask, `open_serialised`), builds the environment and starts the sandbox the
up-front path would have given the sample (`bwrap`, or `asebench-agent` for a coding agent),
through that provider's own `sample_init`. So the environments Inspect holds for the sample
are ordinary `BwrapSandboxEnvironment`s, and this class only starts and cleans them up.
"""

from __future__ import annotations

import asyncio
import threading

from inspect_ai.util import SandboxEnvironment, SandboxEnvironmentConfigType, sandboxenv
from pydantic import BaseModel, ConfigDict

from asebench.agents.sandbox_view import AgentSandboxEnvironment, agent_config
from asebench.checks.sample_sandbox import bwrap_config
from asebench.checks.sandbox.inspect_provider import BwrapSandboxEnvironment, sandbox_config
from asebench.code.task import MaskedTask
from asebench.dataset.schema import Instance
from asebench.opened_instance import instance_from_metadata, open_instance
from asebench.sources.tree import SourceTree

_source_locks: dict[str, threading.Lock] = {}
_source_locks_guard = threading.Lock()


def open_serialised(instance: Instance) -> tuple[SourceTree, MaskedTask]:
    """`open_instance`, one call at a time per source (other sources go on meanwhile), as the
    overlapped preparation does: two instances of one release never fetch it at once."""
    key = instance.source.model_dump_json()
    with _source_locks_guard:
        lock = _source_locks.setdefault(key, threading.Lock())
    with lock:
        return open_instance(instance)


class OnStartConfig(BaseModel):
    """`agent`: the sample's sandbox is a coding agent's (`asebench-agent`), else `bwrap`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    agent: bool = False


def _on_start_config(config: SandboxEnvironmentConfigType | None) -> OnStartConfig:
    return sandbox_config(OnStartConfig, config, "asebench-on-start")


@sandboxenv(name="asebench-on-start")
class OnStartSandboxEnvironment(BwrapSandboxEnvironment):
    """Starts a sample's bwrap (or agent) sandbox from the instance in the sample's metadata.

    Never instantiated itself: `sample_init` returns the environment of the provider it
    stands for (whose `exec` and file methods this class shares by inheritance), and the
    inherited `sample_cleanup` removes it."""

    @classmethod
    def config_deserialize(cls, config: dict[str, object]) -> BaseModel:
        return OnStartConfig.model_validate(config)

    @classmethod
    async def task_init(cls, task_name: str, config: SandboxEnvironmentConfigType | None) -> None:
        if _on_start_config(config).agent:
            await AgentSandboxEnvironment.task_init(task_name, config)
        else:
            await BwrapSandboxEnvironment.task_init(task_name, config)

    @classmethod
    async def sample_init(
        cls,
        task_name: str,
        config: SandboxEnvironmentConfigType | None,
        metadata: dict[str, str],
    ) -> dict[str, SandboxEnvironment]:
        """Open the instance, build its environment, start its sandbox. Raises `SourceError`
        or `DatasetError` when the instance cannot be opened and `EnvironmentBuildError` when
        its environment cannot be built (the sample then errors in Inspect's log)."""
        agent = _on_start_config(config).agent
        instance = instance_from_metadata(metadata)
        tree, task = await asyncio.to_thread(open_serialised, instance)
        instance = task.instance
        if agent:
            spec = await asyncio.to_thread(agent_config, instance, tree)
            return await AgentSandboxEnvironment.sample_init(task_name, spec, metadata)
        bwrap = await asyncio.to_thread(bwrap_config, instance, tree.root, tree.digest)
        return await BwrapSandboxEnvironment.sample_init(task_name, bwrap, metadata)
