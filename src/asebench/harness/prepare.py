"""Turn dataset instances into ready samples: source fetched, regions masked, prompt built."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from inspect_ai.util import SandboxEnvironment

from asebench.checks.judge import Scanner, judge_answer
from asebench.checks.verdict import Verdict
from asebench.code.task import MaskedTask
from asebench.context.model import ContextRequest
from asebench.context.registry import get_strategy
from asebench.context.strategy import ContextStrategy
from asebench.dataset.errors import DatasetError, DatasetProblem
from asebench.dataset.schema import Instance
from asebench.harness.overlap import Outcome, map_overlapped, preparation_jobs
from asebench.harness.progress import Steps, say
from asebench.opened_instance import instance_from_metadata, open_instance
from asebench.prompt import Prompt, build_prompt
from asebench.sources.errors import SourceError
from asebench.sources.tree import SourceTree

NO_ANSWER_KEY = "asebench_no_answer"
"""Sample metadata key a baseline sets when it has nothing to answer (no gold fix)."""
PREPARATION_FAILED_KEY = "asebench_preparation_failed"
"""Sample metadata key set when a sample's instance could not be prepared as it started
(`harness/on_start.py`): the scorer records it as the sample's infrastructure failure."""


@dataclass(frozen=True)
class PromptOptions:
    context: str = "bm25"
    budget_tokens: int = 4000
    security_reminder: bool = False


@dataclass(frozen=True)
class PreparedInstance:
    instance: Instance
    tree: SourceTree
    task: MaskedTask
    prompt: Prompt


@dataclass
class Preparation:
    ready: list[PreparedInstance] = field(default_factory=list)
    problems: list[DatasetProblem] = field(default_factory=list)


def prepare_instance(
    instance: Instance, options: PromptOptions, strategy: ContextStrategy | None = None,
    opened: tuple[SourceTree, MaskedTask] | None = None,
) -> PreparedInstance:
    """Fetch and mask `instance` (or take `opened`, what `open_instance` gave for it), and
    build its prompt with the context strategy of `options` (or `strategy`). Raises what
    `open_instance` raises."""
    tree, task = opened or open_instance(instance)
    instance = task.instance  # golds derived, regions widened: what the scorer must see
    strategy = strategy or get_strategy(options.context)
    context = strategy.build(ContextRequest(
        tree=tree.root,
        masked_files={f.path: f.text for f in task.files},
        language=instance.language,
        budget_tokens=options.budget_tokens,
        tree_digest=tree.digest,
    ))
    prompt = build_prompt(instance, task.files, context.render(),
                          security_reminder=options.security_reminder)
    return PreparedInstance(instance, tree, task, prompt)


NAMED_AT_MOST = 8
"""A preparation line names this many instances, then says how many more there are."""


def named(instances: list[Instance]) -> str:
    """The ids of `instances` for a progress line: all of them, or the first `NAMED_AT_MOST`
    and `… and N more`."""
    ids = [instance.id for instance in instances[:NAMED_AT_MOST]]
    more = len(instances) - len(ids)
    return ", ".join(ids) + (f" and {more} more" if more else "")


def prepare_all(instances: list[Instance], options: PromptOptions,
                jobs: int | None = None) -> Preparation:
    """Prepare every instance, up to `jobs` at once (default `preparation_jobs()`; instances of
    one source one after the other); one that cannot be fetched or masked becomes a problem.
    Ready instances and problems keep the dataset's order; progress lines come as each ends."""
    out = Preparation()
    jobs = jobs or preparation_jobs()
    at_once = f", up to {jobs} at once" if len(instances) > 1 else ""
    say(f"preparing {len(instances)} instance(s){at_once} (sources are fetched and unpacked "
        f"on first use, then cached): {named(instances)}")
    strategy = get_strategy(options.context)  # one per run: it keeps recent indexes in memory
    steps = Steps("prepared", len(instances))

    def finished(outcome: Outcome[Instance, PreparedInstance]) -> None:
        note = {SourceError: "source problem", DatasetError: "dataset problem"}.get(
            type(outcome.error), "" if outcome.error is None else "failed")
        steps.finished(outcome.item.id, outcome.seconds, note)

    outcomes = map_overlapped(lambda i: prepare_instance(i, options, strategy), instances,
                              jobs=jobs,
                              key=lambda i: i.source.model_dump_json(), finished=finished)
    steps.close()
    for outcome in outcomes:
        if outcome.result is not None:
            out.ready.append(outcome.result)
        elif isinstance(outcome.error, SourceError):
            out.problems.append(DatasetProblem(outcome.item.id, None, "source", str(outcome.error)))
        elif isinstance(outcome.error, DatasetError):
            out.problems.extend(outcome.error.problems)
        elif outcome.error is not None:
            raise outcome.error  # a bug, not a fault of the instance: as before, it stops the run
    return out


async def judge_stored_answer(
    metadata: dict[str, Any],
    answer: str,
    *,
    scanner: Scanner,
    dynamic: bool,
    sandbox: SandboxEnvironment | None = None,
    stop_reason: str | None = None,
) -> Verdict:
    """Judge `answer` to the instance a sample's metadata describes (the scorer, and
    `asebench score --rejudge` on a finished log) with `judge_answer`. Fetching and masking run
    off the event loop; if they fail, that is the sample's infrastructure failure."""
    instance = instance_from_metadata(metadata)
    if metadata.get(NO_ANSWER_KEY):
        return Verdict(instance=instance.id, no_answer=str(metadata[NO_ANSWER_KEY]))
    if metadata.get(PREPARATION_FAILED_KEY):
        return Verdict(instance=instance.id, stop_reason=stop_reason,
                       infra_error=f"preparing the instance: {metadata[PREPARATION_FAILED_KEY]}")
    try:
        tree, task = await asyncio.to_thread(open_instance, instance)
    except Exception as exc:  # recorded on this sample; the others go on
        return Verdict(instance=instance.id, stop_reason=stop_reason,
                       infra_error=f"preparing the instance: {type(exc).__name__}: {exc}")
    return await judge_answer(task, answer, tree.root, scanner=scanner, dynamic=dynamic,
                              sandbox=sandbox, stop_reason=stop_reason)
