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
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from asebench.checks.judge import judge_answer
from asebench.checks.static import SemgrepBatcher
from asebench.dataset.schema import Instance, Mutation
from asebench.harness.progress import Steps, say
from asebench.mutation.distance import Distance
from asebench.mutation.mutant import MutantSkipped, WrittenMutant, write_mutant
from asebench.mutation.operators import OPERATORS, operators_for
from asebench.mutation.spec import MutantSpec, Names, OriginalRef, Revalidation
from asebench.mutation.tree import file_digests
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
    seed: int = 0
    operators: list[str] = field(default_factory=list)
    names: dict[str, dict[str, str]] = field(default_factory=dict)
    validate: str = ""
    """One line: what validate found (rules, PoC, test, variants), or why it was not run."""
    date: str = ""
    """When the mutant was judged (UTC, ISO 8601 to the second)."""
    sha256: dict[str, str] = field(default_factory=dict)
    """Per mutated file: the sha256 of the text judged (`tree.file_digests`)."""


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
        name = f"{instance.id}-m{index}"
        try:
            mutant = write_mutant(task.instance, tree.root, seed, usable, index, out,
                                  dataset_root)
        except MutantSkipped as exc:
            report.skipped.append((name, str(exc)))
            say(f"{name}: not written: {exc}")
            continue
        except Exception as exc:
            report.skipped.append((name, f"{type(exc).__name__}: {exc}"))
            say(f"{name}: not written: {type(exc).__name__}: {exc}")
            continue
        written.append((mutant, upstream))
        say(f"{mutant.instance.id}: written ({', '.join(mutant.result.applied()) or 'no'}"
            " operator applied)")
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


def validate_summary(check: InstanceCheck) -> str:
    """One line of what `validate` found on a mutant, e.g. `rules flag vulnerable 2/fix 0;
    PoC vulnerable/safe; test pass/pass; variants 6/6 right; 1 repetition(s)`."""
    parts = [f"rules flag vulnerable {max(check.rule_on_vulnerable, default=0)}/fix "
             f"{max(check.rule_on_fix, default=0)}"]
    if any(p is not None for p in check.poc_on_vulnerable + check.poc_on_fix):
        parts.append(f"PoC {check.poc_on_vulnerable[-1]}/{check.poc_on_fix[-1]}")
    if check.test and any(t is not None for pair in check.test for t in pair):
        parts.append(f"test {check.test[-1][0]}/{check.test[-1][1]}")
    if check.variants:
        right = sum(not v.wrong for v in check.variants)
        parts.append(f"variants {right}/{len(check.variants)} right")
    parts.append(f"{len(check.rule_on_vulnerable)} repetition(s)")
    if not check.consistent:
        parts.append(f"{len(check.problems)} problem(s)" if check.problems else "flaky")
    return "; ".join(parts)


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
    say(f"mutating {len(instances)} instance(s), {per_instance} mutant(s) each: sources are "
        "fetched on first use")
    steps = Steps("instances mutated", len(instances))
    written = []
    for instance in instances:
        started = time.monotonic()
        mine = _write(instance, per_instance, seed, operators, out, dataset_root, report)
        written.extend(mine)
        steps.finished(instance.id, time.monotonic() - started, f"{len(mine)} written")
    steps.close()
    checks = (validate_instances([m.instance for m, _ in written], repeat=repeat,
                                 dynamic=dynamic, jobs=jobs) if validate and written else [])
    by_id = {c.instance.id: c for c in checks}
    judged_at = datetime.now(UTC).replace(microsecond=0).isoformat()
    for mutant, upstream in written:
        check = by_id.get(mutant.instance.id)
        kept = check is None or check.consistent
        spec = mutant.instance.mutation
        entry = MutantReport(mutant.original.id, mutant.instance.id, kept,
                             "" if kept or check is None else _reason(check),
                             mutant.result.applied(), mutant.distances,
                             seed=spec.seed if spec else 0,
                             operators=list(spec.operators) if spec else [],
                             names=mutant.result.names.as_dict(),
                             validate="" if check is None else validate_summary(check),
                             date=judged_at, sha256=file_digests(mutant.result))
        if not validate:
            entry.reason = "not validated (--no-validate)"
        if kept and validate:  # the memorisation check is part of the re-validation
            say(f"{entry.name}: kept; memorisation check (verbatim upstream regions)")
            try:
                entry.upstream_vulnerable_fails, entry.upstream_fixed_fails = asyncio.run(
                    _memorisation(mutant.instance, upstream, dynamic))
            except Exception as exc:
                entry.reason = f"memorisation check failed: {type(exc).__name__}: {exc}"
        elif not kept:
            say(f"{entry.name}: discarded: {entry.reason}")
            shutil.rmtree(mutant.directory, ignore_errors=True)
        report.mutants.append(entry)
    return report


def spec_of(entry: MutantReport, original: OriginalRef) -> MutantSpec:
    """The spec-only form of a judged mutant (`spec.MutantSpec`): what it derives from, its
    mutation and renames, and the re-validation record (kept or the reason it was not)."""
    revalidation = None if entry.reason == "not validated (--no-validate)" else Revalidation(
        kept=entry.kept, date=entry.date, reason=entry.reason, verdicts=entry.validate,
        applied=entry.applied,
        distances={k: {"renamed_share": round(d.renamed_share, 4),
                       "ngram_overlap": round(d.ngram_overlap, 4)}
                   for k, d in entry.distances.items()},
        upstream_vulnerable_fails=entry.upstream_vulnerable_fails,
        upstream_fixed_fails=entry.upstream_fixed_fails)
    return MutantSpec(id=entry.name, original=original,
                      mutation=Mutation(seed=entry.seed, operators=entry.operators),
                      names=Names.model_validate(entry.names or {}), sha256=entry.sha256,
                      revalidation=revalidation)
