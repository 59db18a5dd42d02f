"""`asebench mutate`: write mutants, keep those the oracles still judge right, measure them.

For each instance, mutants 1..N are written (`mutant.write_mutant`); every one is validated
like any instance (`validate.validate_instances`: vulnerable code flagged, gold clean, test
passing on both, junk failing quality, every variant judged right) and kept only if
consistent, else its folder is removed and the reason recorded. For each kept mutant the
memorisation check inserts the verbatim upstream vulnerable and fixed regions (what a model
reciting upstream code would answer) into the mutant and records whether quality fails.
"""

from __future__ import annotations

import asyncio
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from asebench.checks.judge import judge_answer
from asebench.checks.static import SemgrepBatcher
from asebench.dataset.schema import Instance
from asebench.mutation.distance import Distance
from asebench.mutation.mutant import MutantSkipped, WrittenMutant, write_mutant
from asebench.mutation.operators import OPERATORS, operators_for
from asebench.opened_instance import open_instance
from asebench.validate import InstanceCheck, validate_instances


@dataclass
class MutantReport:
    """One mutant: kept or discarded (with the reason), what changed it, how far it moved,
    and whether verbatim upstream code fails quality in it (None: not judged)."""

    instance: str
    name: str
    kept: bool
    reason: str = ""
    applied: list[str] = field(default_factory=list)
    distances: dict[str, Distance] = field(default_factory=dict)
    upstream_vulnerable_fails: bool | None = None
    upstream_fixed_fails: bool | None = None


@dataclass
class MutationReport:
    mutants: list[MutantReport] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """(instance or mutant, reason) for what could not be mutated at all."""

    def per_operator(self) -> dict[str, tuple[int, int]]:
        """Operator -> (mutants it changed that were validated, of those kept)."""
        out = {}
        for name in OPERATORS:
            tried = [m for m in self.mutants if name in m.applied]
            out[name] = (len(tried), sum(m.kept for m in tried))
        return out

    def memorisation_share(self) -> tuple[int, int]:
        """(kept mutants where both verbatim upstream regions fail quality, kept mutants
        judged)."""
        judged = [m for m in self.mutants if m.kept and m.upstream_vulnerable_fails is not None]
        return sum(bool(m.upstream_vulnerable_fails and m.upstream_fixed_fails)
                   for m in judged), len(judged)

    def as_json(self) -> dict[str, Any]:
        caught, judged = self.memorisation_share()
        return {
            "per_operator": {k: {"tried": t, "kept": kept}
                             for k, (t, kept) in self.per_operator().items()},
            "memorisation": {
                "kept_judged": judged, "both_upstream_answers_fail_quality": caught,
                "upstream_vulnerable_fails_quality": sum(
                    bool(m.upstream_vulnerable_fails) for m in self.mutants if m.kept),
                "upstream_fixed_fails_quality": sum(
                    bool(m.upstream_fixed_fails) for m in self.mutants if m.kept)},
            "mutants": [{**vars(m), "distances": {p: vars(d) for p, d in m.distances.items()}}
                        for m in self.mutants],
            "skipped": [{"what": w, "reason": r} for w, r in self.skipped],
        }


def _write(instance: Instance, per_instance: int, seed: int, operators: list[str] | None,
           out: Path, dataset_root: Path | None, report: MutationReport
           ) -> list[tuple[WrittenMutant, list[str]]]:
    """Write the mutants of one instance; returns each with the upstream answers (the
    verbatim vulnerable and fixed regions, as a reciting model would answer)."""
    usable = [o for o in (operators or operators_for(instance.language))
              if instance.language in OPERATORS[o].languages]
    if not usable:
        report.skipped.append((instance.id, f"no mutation operator for {instance.language}"))
        return []
    try:
        tree, task = open_instance(instance)
    except Exception as exc:  # one bad instance must not stop the others
        report.skipped.append((instance.id, f"cannot be opened: {type(exc).__name__}: {exc}"))
        return []
    try:
        upstream = [task.reference_answer("vulnerable"), task.reference_answer("reference")]
    except ValueError as exc:
        report.skipped.append((instance.id, str(exc)))
        return []
    written = []
    for index in range(1, per_instance + 1):
        try:
            written.append((write_mutant(task.instance, tree.root, seed, usable, index, out,
                                         dataset_root), upstream))
        except MutantSkipped as exc:
            report.skipped.append((f"{instance.id}-m{index}", str(exc)))
        except Exception as exc:
            report.skipped.append((f"{instance.id}-m{index}", f"{type(exc).__name__}: {exc}"))
    return written


async def _memorisation(mutant: Instance, upstream: list[str], dynamic: bool
                        ) -> tuple[bool, bool]:
    tree, task = await asyncio.to_thread(open_instance, mutant)
    batcher = SemgrepBatcher()
    verdicts = [await judge_answer(task, answer, tree.root, scanner=batcher.scan,
                                   dynamic=dynamic) for answer in upstream]
    return not verdicts[0].quality, not verdicts[1].quality


def _reason(check: InstanceCheck) -> str:
    if check.problems:
        return "; ".join(check.problems[:3])
    return "flaky: a verdict changed between repetitions"


def mutate_dataset(
    instances: list[Instance], out: Path, *, per_instance: int, seed: int,
    operators: list[str] | None = None, validate: bool = True, dynamic: bool = True,
    repeat: int = 1, jobs: int | None = None, dataset_root: Path | None = None,
) -> MutationReport:
    """Write, re-validate and measure `per_instance` mutants of every instance into `out`
    (loaded as part of `dataset_root`, default `out`: see `write_mutant`); a discarded
    mutant's folder is removed. Never raises for one instance's fault."""
    report = MutationReport()
    out.mkdir(parents=True, exist_ok=True)
    written = [item for instance in instances
               for item in _write(instance, per_instance, seed, operators, out, dataset_root,
                                  report)]
    checks = (validate_instances([m.instance for m, _ in written], repeat=repeat,
                                 dynamic=dynamic, jobs=jobs) if validate and written else [])
    by_id = {c.instance.id: c for c in checks}
    for mutant, upstream in written:
        check = by_id.get(mutant.instance.id)
        kept = check is None or check.consistent
        entry = MutantReport(mutant.original.id, mutant.instance.id, kept,
                             "" if kept or check is None else _reason(check),
                             mutant.result.applied(), mutant.distances)
        if not validate:
            entry.reason = "not validated (--no-validate)"
        if kept:
            try:
                entry.upstream_vulnerable_fails, entry.upstream_fixed_fails = asyncio.run(
                    _memorisation(mutant.instance, upstream, dynamic))
            except Exception as exc:
                entry.reason = f"memorisation check failed: {type(exc).__name__}: {exc}"
        else:
            shutil.rmtree(mutant.directory, ignore_errors=True)
        report.mutants.append(entry)
    return report
