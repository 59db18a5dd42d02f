"""Read the verdicts of a finished Inspect log; re-judge its stored answers without a model."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, replace
from typing import Any

from inspect_ai.log import EvalLog, EvalSample

from asebench.checks.static import SemgrepBatcher
from asebench.checks.verdict import Verdict
from asebench.harness.prepare import judge_stored_answer
from asebench.harness.progress import Steps
from asebench.scoring import SampleRecord

SCORER = "ase_scorer"


@dataclass(frozen=True)
class JudgedSample:
    """One sample of a log: its answer, its verdict, and whether a model answer exists at all
    (`generated` false when the model call itself failed: nothing to re-judge)."""

    instance: str
    cycle: int
    answer: str
    verdict: Verdict
    metadata: dict[str, Any]
    generated: bool = True
    input_tokens: int | None = None
    output_tokens: int | None = None
    seconds: float | None = None
    """Wall time of the sample in the run (generation and judging), in seconds."""
    agent: dict[str, Any] | None = None
    """A coding agent's run (`asebench.harness.agent_scorer`): name, steps, tokens, wall time, the
    limit it hit, changed files with diffs, new findings elsewhere; None for a model answer."""


def _record(judged: JudgedSample) -> SampleRecord:
    instance = judged.metadata.get("instance", {})
    verdict = judged.verdict
    return SampleRecord(
        instance=judged.instance,
        cycle=judged.cycle,
        quality=verdict.counted_quality,
        secure=verdict.secure,
        cwe=str(instance.get("cwe", "")),
        language=str(instance.get("language", "")),
        severity=str(instance.get("severity") or ""),
        synthetic=bool(instance.get("synthetic", False)),
        infra_error=verdict.infra_error,
        static_secure=verdict.static_secure if verdict.parsed else None,
        dynamic_secure=verdict.dynamic_secure,
        truncated=verdict.truncated,
        answer_failure=verdict.outcome == "answer_failure",
    )


def _judged(sample: EvalSample) -> JudgedSample:
    answer = sample.output.completion if sample.output else ""
    stop_reason = sample.output.stop_reason if sample.output and sample.output.choices else None
    score = (sample.scores or {}).get(SCORER)
    if sample.error is not None or score is None or not score.metadata:
        reason = sample.error.message if sample.error else "sample was not scored"
        verdict = Verdict(instance=str(sample.id), infra_error=reason, stop_reason=stop_reason)
    else:
        verdict = Verdict.model_validate(score.metadata["verdict"])
    agent = score.metadata.get("agent") if score is not None and score.metadata else None
    if agent is not None:  # an agent answers with its edits: the regions read back
        answer = score.answer if score is not None and score.answer else ""
    generated = sample.error is None and sample.output is not None and bool(sample.output.choices)
    usage = list((sample.model_usage or {}).values())
    return JudgedSample(str(sample.id), sample.epoch, answer, verdict, dict(sample.metadata),
                        generated,
                        input_tokens=sum(u.input_tokens for u in usage) if usage else None,
                        output_tokens=sum(u.output_tokens for u in usage) if usage else None,
                        seconds=sample.total_time, agent=agent)


def judged_samples(log: EvalLog) -> list[JudgedSample]:
    """Every sample of the log with its stored verdict."""
    return [_judged(sample) for sample in log.samples or []]


def log_cycles(log: EvalLog) -> int:
    """How many cycles (Inspect epochs) the run asked for."""
    epochs = log.eval.config.epochs
    return int(epochs) if epochs else max((s.epoch for s in log.samples or []), default=1)


def records(judged: list[JudgedSample]) -> list[SampleRecord]:
    return [_record(j) for j in judged]


async def _rejudge(samples: list[JudgedSample], dynamic: bool) -> list[JudgedSample]:
    batcher = SemgrepBatcher()
    steps = Steps("re-judged", len(samples))

    async def one(sample: JudgedSample) -> JudgedSample:
        if not sample.generated:
            steps.finished(f"{sample.instance} cycle {sample.cycle}", 0.0, "no answer")
            return sample
        if sample.agent is not None:  # its workspace is gone with the run: kept as judged
            steps.finished(f"{sample.instance} cycle {sample.cycle}", 0.0, "agent: as judged")
            return sample
        started = time.monotonic()
        verdict = await judge_stored_answer(sample.metadata, sample.answer,
                                            scanner=batcher.scan, dynamic=dynamic,
                                            stop_reason=sample.verdict.stop_reason)
        steps.finished(f"{sample.instance} cycle {sample.cycle}", time.monotonic() - started,
                       verdict.outcome)
        return replace(sample, verdict=verdict)

    judged = list(await asyncio.gather(*(one(s) for s in samples)))
    steps.close()
    return judged


def rejudge(log: EvalLog, *, dynamic: bool = True) -> list[JudgedSample]:
    """Run the checks again on the answers stored in `log` (current rules, no model call)."""
    return asyncio.run(_rejudge(judged_samples(log), dynamic))
