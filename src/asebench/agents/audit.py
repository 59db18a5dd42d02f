"""The leakage audit: can an agent find the fix anywhere it can read?

For each instance, the telling lines are the lines the gold fix adds (stripped of
indentation) that the vulnerable project does not already hold anywhere, at least
`MIN_TELLING_CHARS` long: `return None` is in every project, and a line the project already
has elsewhere (an import of its own helper) is the agent's to read. Every file readable inside
the agent's sandbox (`sandbox_view.py`) is searched for them, byte for byte, with `grep` run
inside that sandbox as the agent would run it: the host's system directories once for all
instances (they are the same for each), then each instance's own workspace (masked file(s) in
place) and environment.

A hit (a leak) is a file holding at least `LEAK_LINES` of an instance's telling lines (all of
them when it has fewer): a copy of the fixed code. A file holding one line of several is a
coincidence of idiom (`for key, value in d.items():` is in the standard library too); those
are reported apart, never hidden.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import anyio

from asebench.agents.sandbox_view import AgentSandboxEnvironment, agent_config
from asebench.agents.workspace import place_masked_files
from asebench.checks.environment import EnvironmentBuildError
from asebench.checks.sandbox.host_view import python_prefixes
from asebench.checks.sandbox.inspect_provider import BwrapSandboxConfig
from asebench.code.task import MaskedTask
from asebench.dataset.errors import DatasetError
from asebench.dataset.load import load_dataset
from asebench.dataset.selection import select
from asebench.harness.progress import say
from asebench.opened_instance import open_instance
from asebench.sources.errors import SourceError

MIN_TELLING_CHARS = 16
"""Shorter added lines (`}`, `else:`, `return None`) occur everywhere and prove nothing."""
LEAK_LINES = 2
"""How many of an instance's telling lines one file must hold to be a hit."""
SCAN_TIMEOUT_S = 3600
PRIVATE_ROOTS = ("/proc", "/dev", "/sys", "/tmp", "/workspace", "/env")
"""Directories of the sandbox that are not the host's shared view (or not files at all)."""


@dataclass(frozen=True)
class Leak:
    """A telling line of `instance`'s fix found in `path` (a path inside the agent sandbox)."""

    instance: str
    line: str
    path: str


def added_lines(task: MaskedTask, originals: dict[str, str]) -> list[str]:
    """The lines the gold fix of `task` adds that its vulnerable file(s) do not hold, stripped,
    at least `MIN_TELLING_CHARS` long, in order, without repeats. `originals` maps each masked
    file's path to its vulnerable text. Locations without a gold add nothing."""
    lines: list[str] = []
    for location in task.instance.locations:
        if location.gold is None:
            continue
        present = {line.strip() for line in originals[location.file].splitlines()}
        for line in location.gold.splitlines():
            stripped = line.strip()
            if len(stripped) >= MIN_TELLING_CHARS and stripped not in present \
                    and stripped not in lines:
                lines.append(stripped)
    return lines


def telling_lines(task: MaskedTask, tree: Path) -> list[str]:
    """`added_lines` that no file of the vulnerable project tree `tree` holds."""
    originals = {m.path: (tree / m.path).read_text(encoding="utf-8") for m in task.files}
    pending = {line: line.encode("utf-8") for line in added_lines(task, originals)}
    for directory, _subdirs, files in os.walk(tree):
        for name in files:
            path = os.path.join(directory, name)
            if not pending or os.path.islink(path):
                continue
            with open(path, "rb") as stream:
                data = stream.read()
            for line in [line for line, raw in pending.items() if raw in data]:
                del pending[line]
    return [line for line in pending]


def count_hits(instance: str, lines: list[str], found: list[tuple[str, str]]
               ) -> tuple[list[Leak], list[Leak]]:
    """Split `found` ((path, line) pairs) into hits (files holding at least `LEAK_LINES` of
    the instance's `lines`, or all of them) and single-line coincidences."""
    per_file: dict[str, set[str]] = defaultdict(set)
    for path, line in found:
        per_file[path].add(line)
    needed = min(LEAK_LINES, len(lines))
    hits: list[Leak] = []
    coincidences: list[Leak] = []
    for path, held in per_file.items():
        into = hits if len(held) >= needed else coincidences
        into.extend(Leak(instance, line, path) for line in held)
    return sorted(hits, key=_order), sorted(coincidences, key=_order)


def _grep_command(roots: Sequence[str] | None) -> list[str]:
    """`grep` over `roots`, or over every top-level directory of the sandbox that is neither
    a symlink nor private (`PRIVATE_ROOTS`): prints `path NUL match` per hit."""
    grep = "grep -r -a -F -o -Z --no-messages -f /tmp/telling --"
    if roots is not None:
        return ["sh", "-c", f'cat > /tmp/telling; {grep} "$@"; true', "sh", *roots]
    private = " ".join(PRIVATE_ROOTS)
    script = (
        "cat > /tmp/telling; set --; for d in /*; do "
        '[ -d "$d" ] && [ ! -L "$d" ] || continue; '
        f'case " {private} " in *" $d "*) continue;; esac; set -- "$@" "$d"; done; '
        f'{grep} "$@"; true'
    )
    return ["sh", "-c", script]


def _hits(output: str) -> list[tuple[str, str]]:
    """(path, matched line) pairs from `grep -o -Z` output."""
    out = []
    for record in output.split("\n"):
        path, nul, match = record.partition("\0")
        if nul:
            out.append((path, match))
    return out


async def scan(box: AgentSandboxEnvironment, lines: Iterable[str],
               roots: Sequence[str] | None) -> list[tuple[str, str]]:
    """Every (path, line) of `lines` found in files under `roots` inside `box` (the agent's
    view), or under the whole shared view when `roots` is None."""
    patterns = "\n".join(sorted(set(lines)))
    if not patterns:
        return []
    done = await box.exec(_grep_command(roots), input=patterns + "\n", timeout=SCAN_TIMEOUT_S)
    if done.returncode != 0:
        raise RuntimeError(f"the audit's grep failed: {done.stderr.strip()[-500:]}")
    return _hits(done.stdout)


async def audit_shared_view(telling: dict[str, list[str]]) -> dict[str, list[tuple[str, str]]]:
    """Search the host directories every agent sandbox shows for each instance's telling
    lines (`telling`: instance id -> lines), in one pass: instance id -> (path, line) found."""
    owners: dict[str, list[str]] = defaultdict(list)
    for instance, lines in telling.items():
        for line in lines:
            owners[line].append(instance)
    box = AgentSandboxEnvironment(BwrapSandboxConfig(workspace_mb=None))
    try:
        found = await scan(box, owners, None)
    finally:
        box.remove()
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for path, line in found:
        for instance in owners.get(line, []):
            out[instance].append((path, line))
    return out


async def audit_instance(task: MaskedTask, config: BwrapSandboxConfig,
                         lines: list[str]) -> list[tuple[str, str]]:
    """Search what only this instance's agent sandbox shows (its workspace with the masked
    file(s) in place, its environment, a Python installation its environment adds)."""
    box = AgentSandboxEnvironment(config.model_copy(update={"workspace_mb": None}))
    try:
        await place_masked_files(box, task)
        shared = set(python_prefixes(None))
        roots = ["/workspace"]
        if config.env_dir is not None:
            roots.append("/env")
        roots += [str(p) for p in python_prefixes(config.env_dir) if p not in shared]
        return await scan(box, lines, roots)
    finally:
        box.remove()


def _order(leak: Leak) -> tuple[str, str, str]:
    return leak.instance, leak.path, leak.line


@dataclass
class AuditReport:
    """What `audit_dataset` found: leaks (hits), single-line coincidences, how many telling
    lines each instance has, and the instances it could not audit (with why)."""

    leaks: list[Leak] = field(default_factory=list)
    coincidences: list[Leak] = field(default_factory=list)
    telling: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def audit_dataset(dataset: str, instances: str | list[str] | None = None) -> AuditReport:
    """Audit every instance of `dataset` (or those named): fetch and mask each as a run does,
    build its sandbox as an agent run does, search as described above. An instance that
    cannot be fetched, masked or given its environment is a problem of the report."""
    report = AuditReport()
    loaded = select(load_dataset(dataset), instances, dataset)
    report.problems += [str(problem) for problem in loaded.problems]
    prepared: list[tuple[MaskedTask, BwrapSandboxConfig, list[str]]] = []
    for instance in loaded.instances:
        try:
            tree, task = open_instance(instance)
            config = agent_config(task.instance, tree)
        except (DatasetError, SourceError, EnvironmentBuildError) as exc:
            report.problems.append(f"{instance.id}: {exc}")
            continue
        lines = telling_lines(task, tree.root)
        report.telling[instance.id] = len(lines)
        prepared.append((task, config, lines))
    say(f"audit: searching the host view shared by all agent sandboxes "
        f"({sum(report.telling.values())} telling lines of {len(prepared)} instance(s))")
    shared = anyio.run(audit_shared_view, {t.instance.id: lines for t, _, lines in prepared})
    for task, config, lines in prepared:
        say(f"audit: {task.instance.id}: workspace and environment")
        found = shared.get(task.instance.id, []) + anyio.run(audit_instance, task, config, lines)
        hits, coincidences = count_hits(task.instance.id, lines, found)
        report.leaks += hits
        report.coincidences += coincidences
    return report
