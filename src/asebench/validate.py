"""`asebench validate`: the oracle check that proves each instance can tell safe from vulnerable.

For every instance: the vulnerable code is flagged by its rules and its PoC triggers (where
present); the gold fix is clean and its PoC does not trigger; the functional test passes on
both; an empty or a garbage answer fails quality; and every verdict is the same in every
repetition, so flaky PoCs and tests show up.
"""

from __future__ import annotations

import asyncio
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from asebench.checks.judge import Scanner, judge_answer
from asebench.checks.static import SemgrepBatcher
from asebench.checks.verdict import Verdict
from asebench.code.task import MaskedTask
from asebench.dataset.rules import RuleError, rule_roles
from asebench.dataset.schema import Instance
from asebench.dataset.variants import load_variants
from asebench.harness.progress import Steps, say
from asebench.opened_instance import open_instance
from asebench.sources.errors import SourceError
from asebench.variant_matrix import RuleTally, VariantResult, tally_rules

GARBAGE = "Sure! I would be glad to help with this task. Let me know if you need anything else."


@dataclass
class InstanceCheck:
    """One instance's oracle results over all repetitions; `problems` empty means consistent."""

    instance: Instance
    rule_on_vulnerable: list[int] = field(default_factory=list)
    rule_on_fix: list[int] = field(default_factory=list)
    poc_on_vulnerable: list[str | None] = field(default_factory=list)
    poc_on_fix: list[str | None] = field(default_factory=list)
    test: list[tuple[str | None, str | None]] = field(default_factory=list)
    junk_quality: list[bool] = field(default_factory=list)
    variants: list[VariantResult] = field(default_factory=list)
    rules: list[RuleTally] = field(default_factory=list)
    """Each rule's own cells over the variants (empty without variants)."""
    problems: list[str] = field(default_factory=list)

    @property
    def flaky(self) -> bool:
        series = (self.rule_on_vulnerable, self.rule_on_fix, self.poc_on_vulnerable,
                  self.poc_on_fix, self.test, self.junk_quality)
        return any(len(set(values)) > 1 for values in series)

    @property
    def consistent(self) -> bool:
        return not self.problems and not self.flaky


def _judge_round(check: InstanceCheck, vulnerable: Verdict, fix: Verdict,
                 junk: list[Verdict], dynamic: bool) -> None:
    instance = check.instance
    has_poc = dynamic and (instance.poc is not None or bool(
        instance.container and instance.container.poc_cmd))
    for name, verdict in (("vulnerable", vulnerable), ("fix", fix), *(("junk", j) for j in junk)):
        if verdict.infra_error:
            check.problems.append(f"{name}: infrastructure failure: {verdict.infra_error}")
    check.rule_on_vulnerable.append(len(vulnerable.decisive_findings))
    check.rule_on_fix.append(len(fix.findings))
    check.poc_on_vulnerable.append(vulnerable.poc)
    check.poc_on_fix.append(fix.poc)
    check.test.append((vulnerable.test, fix.test))
    check.junk_quality.append(any(j.quality for j in junk))
    if not instance.rules:
        check.problems.append("no semgrep rule")
    elif vulnerable.advisory_only:
        if not has_poc:
            check.problems.append("only advisory rules and no PoC: nothing can decide")
    elif not vulnerable.decisive_findings:
        check.problems.append("decisive rules do not flag the vulnerable code")
    if fix.findings:
        check.problems.append(f"rules flag the gold fix ({fix.findings[0].rule})")
    if not fix.quality:
        check.problems.append(f"gold fix fails quality: {fix.reason()}")
    if not vulnerable.quality:
        check.problems.append(f"vulnerable code fails quality: {vulnerable.reason()}")
    if has_poc and not vulnerable.infra_error and vulnerable.poc != "vulnerable":
        check.problems.append("PoC does not trigger on the vulnerable code")
    if has_poc and not fix.infra_error and fix.poc != "safe":
        check.problems.append("PoC triggers on the gold fix")
    if any(j.quality for j in junk):
        check.problems.append("an empty or garbage answer passes quality")


async def _check(instance: Instance, task: MaskedTask, tree: Path, repeat: int,
                 scanner: Scanner, dynamic: bool) -> InstanceCheck:
    check = InstanceCheck(instance)
    try:
        answers = [task.reference_answer("vulnerable"), task.reference_answer("reference")]
    except ValueError as exc:
        check.problems.append(str(exc))
        return check
    for _ in range(repeat):
        vulnerable, fix, *junk = [
            await judge_answer(task, answer, tree, scanner=scanner, dynamic=dynamic)
            for answer in (*answers, "", GARBAGE)
        ]
        _judge_round(check, vulnerable, fix, junk, dynamic)
    await _judge_variants(check, task, tree, scanner, dynamic)
    check.problems = list(dict.fromkeys(check.problems))
    return check


async def _judge_variants(check: InstanceCheck, task: MaskedTask, tree: Path, scanner: Scanner,
                          dynamic: bool) -> None:
    """Judge every variant once; a variant that fails quality is a fault of the variant, a
    wrong final verdict a fault of the oracles."""
    variants, problems = load_variants(check.instance.root, check.instance.id)
    check.problems.extend(str(p) for p in problems)
    for variant in variants:
        verdict = await judge_answer(task, variant.answer, tree, scanner=scanner, dynamic=dynamic)
        result = VariantResult(variant, verdict)
        check.variants.append(result)
        if verdict.infra_error:
            check.problems.append(f"variant {variant.name}: infrastructure failure: "
                                  f"{verdict.infra_error}")
        elif not verdict.quality:
            check.problems.append(f"variant {variant.name} fails quality: {verdict.reason()}")
        elif result.wrong:
            check.problems.append(f"variant {variant.name} (expect {variant.expect}) judged "
                                  f"{result.cells['final']}: {verdict.reason()}")
    if not check.variants:
        return
    try:
        roles = rule_roles(check.instance.rules)
    except RuleError as exc:
        check.problems.append(str(exc))
        return
    check.rules = tally_rules(roles, check.variants)
    for tally in check.rules:
        if tally.role == "decisive" and tally.fails_secure:
            check.problems.append(
                f"rule {tally.rule} is decisive but fails the secure variant(s) "
                f"{', '.join(tally.fails_secure)}: fix the rule, or mark it advisory "
                "(metadata.role: advisory, with metadata.role_reason)")


async def _validate(instances: list[Instance], repeat: int, dynamic: bool,
                    jobs_at_once: int | None = None) -> list[InstanceCheck]:
    batcher = SemgrepBatcher()
    jobs = []
    results: list[InstanceCheck] = []
    steps = Steps("validated", len(instances))
    say(f"validating {len(instances)} instance(s): sources are fetched on first use")

    gate = asyncio.Semaphore(jobs_at_once or max(1, os.cpu_count() or 1))

    async def timed(instance: Instance, task: MaskedTask, tree: Path) -> InstanceCheck:
        async with gate:  # timing PoCs (ReDoS) need a machine that is not oversubscribed
            started = time.monotonic()
            check = await _check(instance, task, tree, repeat, batcher.scan, dynamic)
            status = ("ok" if check.consistent
                      else f"{len(check.problems) or 'flaky'} problem(s)")
            steps.finished(instance.id, time.monotonic() - started,
                           f"{len(check.variants)} variants, {status}")
            return check

    for instance in instances:
        try:
            tree, task = await asyncio.to_thread(open_instance, instance)
        except SourceError as exc:
            results.append(InstanceCheck(instance, problems=[f"source: {exc}"]))
            steps.finished(instance.id, 0.0, "source problem")
            continue
        except Exception as exc:  # a bad instance must not stop the others
            results.append(InstanceCheck(instance, problems=[f"{type(exc).__name__}: {exc}"]))
            steps.finished(instance.id, 0.0, "could not be opened")
            continue
        jobs.append(timed(instance, task, tree.root))
    results.extend(await asyncio.gather(*jobs))
    steps.close()
    order = {instance.id: n for n, instance in enumerate(instances)}
    return sorted(results, key=lambda c: order[c.instance.id])


def validate_instances(
    instances: list[Instance], *, repeat: int = 3, dynamic: bool = True,
    jobs: int | None = None,
) -> list[InstanceCheck]:
    """Run the oracle check on every instance, at most `jobs` instances at a time (default:
    the number of CPUs, so that timing PoCs are not starved); one that cannot be fetched is
    reported."""
    return asyncio.run(_validate(instances, repeat, dynamic, jobs))
