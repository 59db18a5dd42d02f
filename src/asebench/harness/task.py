"""The Inspect task `asebench/ase`: one sample per instance, one epoch per cycle."""

from __future__ import annotations

from inspect_ai import Epochs, Task, task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.model import ChatMessageSystem, ChatMessageUser
from inspect_ai.solver import Solver, chain, generate
from inspect_ai.util import SandboxEnvironmentSpec

from asebench.agents import AGENTS
from asebench.agents.limits import AgentLimits
from asebench.agents.registry import agent_solver
from asebench.agents.sandbox_view import agent_sandbox
from asebench.checks.environment import EnvironmentBuildError
from asebench.dataset.digest import dataset_digest
from asebench.dataset.errors import DatasetError, DatasetProblem
from asebench.dataset.load import load_dataset
from asebench.dataset.loaded import LoadedDataset
from asebench.dataset.selection import select
from asebench.dataset.semgrep_validation import semgrep_rejections
from asebench.harness.coverage import oracle_coverage
from asebench.harness.on_start import OnStartPreparation, on_start_samples, prepared_prompt
from asebench.harness.overlap import Outcome, map_overlapped, preparation_jobs
from asebench.harness.prepare import Preparation, PreparedInstance, PromptOptions, prepare_all
from asebench.harness.progress import Steps, say
from asebench.harness.sandboxes import SANDBOX_KINDS, SandboxKind, sample_sandbox
from asebench.harness.scorer import ase_metrics, ase_scorer, keep_cycles
from asebench.harness.solvers import baseline_answer
from asebench.opened_instance import instance_metadata
from asebench.options import BASELINES


def build_samples(
    preparation: Preparation, *, dynamic: bool, sandbox: SandboxKind, jobs: int | None = None,
    agent: bool = False,
) -> list[Sample]:
    """One sample per prepared instance; an instance whose sandbox environment cannot be built
    (e.g. a dependency that fails to install) becomes a problem of the preparation. The
    environments of different instances are built up to `jobs` at once (default:
    `preparation_jobs()`), each said as it is ready. With `agent`, every sample gets the
    agent's sandbox (the agent works in it)."""
    ready = preparation.ready
    specs: list[Outcome[PreparedInstance, SandboxEnvironmentSpec | None]] = []
    if dynamic or agent:
        steps = Steps("sandbox ready", len(ready))

        def finished(outcome: Outcome[PreparedInstance, SandboxEnvironmentSpec | None]) -> None:
            note = ("failed" if outcome.error is not None
                    else "nothing dynamic to run" if outcome.result is None else "")
            steps.finished(outcome.item.instance.id, outcome.seconds, note)

        def build(r: PreparedInstance) -> SandboxEnvironmentSpec | None:
            if agent:
                return agent_sandbox(r.instance, r.tree)
            return sample_sandbox(r.instance, r.tree, sandbox)

        specs = map_overlapped(build, ready, jobs=jobs or preparation_jobs(), finished=finished)
        steps.close()
    samples = []
    for n, prepared in enumerate(ready):
        instance = prepared.instance
        spec = specs[n].result if specs else None
        error = specs[n].error if specs else None
        if isinstance(error, EnvironmentBuildError):
            preparation.problems.append(
                DatasetProblem(instance.id, instance.root, "environment", str(error)))
            continue
        if error is not None:
            raise error  # a bug, not a fault of the instance
        samples.append(Sample(
            sandbox=spec,
            id=instance.id,
            input=[ChatMessageSystem(content=prepared.prompt.system),
                   ChatMessageUser(content=prepared.prompt.user)],
            target="",
            metadata=instance_metadata(instance),
        ))
    return samples


def load_chosen(dataset: str, *, keep_going: bool, instances: str | list[str] | None,
                limit: int | None = None) -> LoadedDataset:
    """Load the dataset and keep the chosen instances (`instances`, then the first `limit`);
    without `keep_going`, a problem loading them stops the run (`DatasetError`). Nothing is
    fetched; the rules of the chosen instances are validated in one semgrep process (cached
    per file content; each instance's preflight then reads the cache)."""
    say(f"loading dataset {dataset}")
    loaded = select(load_dataset(dataset), instances, dataset)
    if limit is not None:
        loaded.instances = loaded.instances[:limit]  # before preparing: only these are fetched
    if loaded.problems and not keep_going:
        raise DatasetError(loaded.problems)
    say(f"{len(loaded.instances)} instance(s); checking their semgrep rules")
    semgrep_rejections([rule for instance in loaded.instances for rule in instance.rules])
    return loaded


def prepare_dataset(
    dataset: str, options: PromptOptions, *, keep_going: bool,
    instances: str | list[str] | None, limit: int | None = None
) -> Preparation:
    """Load and prepare the dataset; without `keep_going`, any problem stops the run. Each
    chosen instance goes through the same preflight as `asebench dataset lint`."""
    loaded = load_chosen(dataset, keep_going=keep_going, instances=instances, limit=limit)
    return prepare_chosen(loaded, options, keep_going=keep_going)


def prepare_chosen(loaded: LoadedDataset, options: PromptOptions, *, keep_going: bool
                   ) -> Preparation:
    """Prepare the loaded instances, several at once (`prepare_all`); the problems of loading
    come first. Without `keep_going`, any problem raises `DatasetError`."""
    preparation = prepare_all(loaded.instances, options)
    preparation.problems[:0] = loaded.problems
    if preparation.problems and not keep_going:
        raise DatasetError(preparation.problems)
    return preparation


@task
def ase(
    dataset: str = "builtin",
    context: str = "bm25",
    budget_tokens: int = 4000,
    cycles: int = 3,
    baseline: str | None = None,
    security_reminder: bool = False,
    dynamic: bool = True,
    sandbox: str = "bwrap",
    keep_going: bool = False,
    instances: str | list[str] | None = None,
    limit: int | None = None,
    agent: str | None = None,
    agent_messages: int | None = AgentLimits.messages,
    agent_tokens: int | None = AgentLimits.tokens,
    agent_time: float | None = AgentLimits.wall_s,
    prefetch: bool = False,
) -> Task:
    """asebench: regenerate masked security-sensitive code in real projects, then judge it.

    Args:
        dataset: `builtin`, a native dataset directory, or an A.S.E JSON file.
        context: context strategy (`none`, `file`, `bm25`).
        budget_tokens: token budget for retrieved context.
        cycles: generation rounds per instance (Inspect epochs); stability compares them.
        baseline: `reference` or `vulnerable` to answer without a model.
        security_reminder: add one sentence asking for secure code to the prompt.
        dynamic: run functional tests and PoCs in the sandbox.
        sandbox: `bwrap` (local, no Docker needed), or `docker` or `k8s` (Kubernetes, with
            inspect-k8s-sandbox installed), which A.S.E v2's container instances need
            (native instances always use bwrap).
        keep_going: skip instances that fail to load or fetch instead of stopping.
        instances: instance ids to run, comma-separated or a list (`-T instances=a,b`
            arrives as one); default: all.
        limit: only the first `limit` instances (in dataset order) are prepared and run;
            unlike Inspect's `--limit`, the others are never fetched.
        agent: a coding agent (`react`, `mini-swe-agent`) that edits the masked project in
            its sandbox instead of a model answering in text (`asebench.agents`); native
            instances only.
        agent_messages: an agent's message limit per sample (None: none).
        agent_tokens: an agent's token limit per sample (None: none).
        agent_time: an agent's wall-clock limit per sample, in seconds (None: none).
        prefetch: prepare every chosen instance before Inspect starts, several at once, and
            stop on a problem unless `keep_going` (`asebench run`); otherwise each instance
            is prepared when its first sample starts, so Inspect's own `--limit` and
            `--sample-id` fetch only what they select (`harness/on_start.py`), and an
            instance that cannot be prepared is that sample's infrastructure failure.

    Raises `ValueError` for an unknown sandbox or baseline or `cycles` below 1, and
    `DatasetError` for dataset problems (unknown ids included) unless `keep_going`.
    """
    if cycles < 1:
        raise ValueError(f"cycles must be a positive integer, got {cycles}")
    if limit is not None and limit < 1:
        raise ValueError(f"limit must be a positive integer, got {limit}")
    if sandbox not in SANDBOX_KINDS:
        raise ValueError(f"sandbox must be one of {', '.join(SANDBOX_KINDS)}, got {sandbox!r}")
    if baseline is not None and baseline not in BASELINES:
        raise ValueError(f"baseline must be one of {', '.join(BASELINES)}, got {baseline!r}")
    if agent is not None and agent not in AGENTS:
        raise ValueError(f"agent must be one of {', '.join(AGENTS)}, got {agent!r}")
    if agent is not None and baseline is not None:
        raise ValueError("agent and baseline exclude each other: a baseline answers without one")
    options = PromptOptions(context, budget_tokens, security_reminder)
    solver: Solver = baseline_answer(baseline) if baseline else generate()  # type: ignore[arg-type]
    if agent is not None:
        solver = agent_solver(agent, AgentLimits(agent_messages, agent_tokens, agent_time))
    loaded = load_chosen(dataset, keep_going=keep_going, instances=instances, limit=limit)
    if prefetch:
        preparation = prepare_chosen(loaded, options, keep_going=keep_going)
        samples = build_samples(preparation, dynamic=dynamic,
                                sandbox=sandbox,  # type: ignore[arg-type]
                                agent=agent is not None)
        if preparation.problems and not keep_going:
            raise DatasetError(preparation.problems)
        # the records as loaded (the digest's definition; a predictions file's digest too)
        ready = {s.id for s in samples}
        problems, chosen = preparation.problems, [i for i in loaded.instances if i.id in ready]
    else:
        problems, chosen = loaded.problems, loaded.instances
        samples = on_start_samples(chosen, dynamic=dynamic,
                                   sandbox=sandbox,  # type: ignore[arg-type]
                                   agent=agent is not None)
        say(f"{len(samples)} sample(s) per cycle; each instance is fetched and prepared when "
            "its first sample starts")
        solver = chain(prepared_prompt(OnStartPreparation(options)), solver)
    if not samples:  # Inspect refuses an empty dataset with a bare ValueError
        raise DatasetError(problems or [
            DatasetProblem(dataset, None, None, "no instance to run")])
    return Task(
        dataset=MemoryDataset(samples, name=f"asebench:{dataset}"),
        solver=solver,
        scorer=ase_scorer(dynamic=dynamic, agent=agent is not None),
        metrics=ase_metrics(cycles),
        epochs=Epochs(cycles, keep_cycles()),
        metadata={"skipped": [str(p) for p in problems],
                  "agent": agent,
                  "dataset_digest": dataset_digest(chosen),
                  "oracles": oracle_coverage(chosen, dynamic=dynamic, sandbox=sandbox)},
    )
