"""Solvers: ask the model, or answer as a baseline that calls no model."""

from __future__ import annotations

from typing import Literal, get_args

from inspect_ai.model import ModelOutput
from inspect_ai.solver import Generate, Solver, TaskState, solver

from asebench.harness.prepare import NO_ANSWER_KEY
from asebench.opened_instance import instance_from_metadata, open_instance
from asebench.options import BASELINES

Baseline = Literal["reference", "vulnerable"]
assert set(BASELINES) == set(get_args(Baseline)), "options.BASELINES and Baseline disagree"


@solver
def baseline_answer(which: Baseline) -> Solver:
    """Answer with the gold fix (`reference`) or the original vulnerable code (`vulnerable`).

    These two are how the benchmark proves itself: the reference must score secure, the
    vulnerable code must not."""

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        instance = instance_from_metadata(state.metadata)
        _, task = open_instance(instance)
        try:
            answer = task.reference_answer(which)
        except ValueError as exc:  # no gold fix: nothing to answer, the sample is unjudged
            state.metadata[NO_ANSWER_KEY] = f"baseline {which}: {exc}"
            answer = ""
        state.output = ModelOutput.from_content(model=f"baseline/{which}", content=answer)
        state.messages.append(state.output.message)
        return state

    return solve
