"""Instances prepared when their first sample starts, so that Inspect's own `--limit` and
`--sample-id` fetch only the instances they select.

Inspect builds the task (and so its dataset) before it applies `--limit`/`--sample-id`, and
gives the task no way to learn them. So `inspect eval asebench/ase` makes one unprepared sample
per loaded instance (its record in the metadata, a placeholder input), and the work that needs
the instance's source happens inside the sample:

- its sandbox, if it has one, is an `asebench-on-start` sandbox (`harness/on_start_sandbox.py`)
  whose start fetches the source and builds the environment;
- the first solver, `prepared_prompt`, fetches and masks it (once per instance for the task,
  whatever the number of cycles), builds the prompt and puts it in the messages, and stores
  the opened instance record (golds derived, regions widened) in the metadata, as an up-front
  prepared sample has it.

A sample whose instance cannot be prepared asks no model: its solvers stop, and the scorer
records the failure as the sample's infrastructure failure (as for any sample whose instance
cannot be reopened). `asebench run` still prepares its chosen instances ahead, overlapped
(`prefetch`). Opening one source is serialised across samples
(`on_start_sandbox.open_serialised`).
"""

from __future__ import annotations

import asyncio
import threading

from inspect_ai.dataset import Sample
from inspect_ai.model import ChatMessageSystem, ChatMessageUser
from inspect_ai.solver import Generate, Solver, TaskState, solver
from inspect_ai.util import SandboxEnvironmentSpec

from asebench.context.registry import get_strategy
from asebench.dataset.schema import Instance
from asebench.harness.on_start_sandbox import OnStartConfig, open_serialised
from asebench.harness.prepare import (
    PREPARATION_FAILED_KEY,
    PreparedInstance,
    PromptOptions,
    prepare_instance,
)
from asebench.harness.sandboxes import SandboxKind, container_sandbox
from asebench.opened_instance import instance_from_metadata, instance_metadata


def placeholder_input(instance: Instance) -> str:
    """The dataset input of an unprepared sample (the prompt replaces it when it starts)."""
    return f"asebench instance {instance.id}: the prompt is built when the sample starts"


def on_start_samples(instances: list[Instance], *, dynamic: bool, sandbox: SandboxKind,
                     agent: bool = False) -> list[Sample]:
    """One unprepared sample per instance, in order. Its sandbox: an `asebench-on-start` one
    when the instance has a PoC or test to run natively (or for an agent, always), the
    container provider's for an A.S.E container instance, none otherwise."""
    samples = []
    for instance in instances:
        spec: SandboxEnvironmentSpec | None = None
        if agent:
            spec = SandboxEnvironmentSpec("asebench-on-start", OnStartConfig(agent=True))
        elif dynamic and instance.container is not None:
            spec = container_sandbox(instance.container, sandbox)
        elif dynamic and (instance.poc is not None or instance.test is not None):
            spec = SandboxEnvironmentSpec("asebench-on-start", OnStartConfig())
        samples.append(Sample(id=instance.id, input=placeholder_input(instance), target="",
                              sandbox=spec, metadata=instance_metadata(instance)))
    return samples


class OnStartPreparation:
    """Prepares each instance once for a task, when its first sample asks (thread-safe: the
    cycles of one instance wait for the one preparation)."""

    def __init__(self, options: PromptOptions) -> None:
        self.options = options
        self._strategy = get_strategy(options.context)  # keeps recent indexes in memory
        self._done: dict[str, PreparedInstance] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def prepared(self, instance: Instance) -> PreparedInstance:
        """The prepared instance (fetched, masked, prompt built). Raises what `open_instance`
        raises (`SourceError`, `DatasetError`); a failure is not kept (the next cycle tries
        again)."""
        key = f"{instance.root}\n{instance.model_dump_json()}"
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            found = self._done.get(key)
            if found is None:
                opened = open_serialised(instance)
                found = prepare_instance(instance, self.options, self._strategy, opened)
                self._done[key] = found
            return found


@solver
def prepared_prompt(preparation: OnStartPreparation) -> Solver:
    """Prepare the sample's instance (`OnStartPreparation`) and put its prompt in the
    messages; on failure, record it in the metadata and stop the sample's solvers."""

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        instance = instance_from_metadata(state.metadata)
        try:
            ready = await asyncio.to_thread(preparation.prepared, instance)
        except Exception as exc:  # the sample's failure, recorded by the scorer as infra
            state.metadata[PREPARATION_FAILED_KEY] = f"{type(exc).__name__}: {exc}"
            state.completed = True
            return state
        state.messages = [ChatMessageSystem(content=ready.prompt.system),
                          ChatMessageUser(content=ready.prompt.user)]
        state.metadata.update(instance_metadata(ready.instance))
        return state

    return solve
