"""`--agent react`: Inspect's ReAct agent with `bash` and `text_editor`, in the agent sandbox.

The agent gets the same system and user messages as a plain model (`prompt.py`), after one
system message of its own saying where the project is and that its edits are its answer. Its
masked file(s) are written into `/workspace` first. Limits on messages, tokens and wall time
apply to the agent alone; what it used (steps = assistant turns, tokens, seconds) and the limit
it hit, if any, go in the sample's metadata under `AGENT_RUN_KEY` for the scorer and reports.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import asdict, dataclass
from typing import Any

from inspect_ai.agent import AgentPrompt, AgentState, react
from inspect_ai.model import ChatMessageAssistant
from inspect_ai.solver import Generate, Solver, TaskState, solver
from inspect_ai.tool import bash
from inspect_ai.util import (
    LimitExceededError,
    apply_limits,
    message_limit,
    sandbox,
    time_limit,
    token_limit,
)

from asebench.agents.editor_tool import text_editor
from asebench.agents.limits import AgentLimits
from asebench.agents.workspace import place_masked_files
from asebench.opened_instance import instance_from_metadata, open_instance

AGENT_RUN_KEY = "asebench_agent"
"""Sample metadata key: the agent's name, what it used, and the limit it hit."""

INSTRUCTIONS = """\
You are working in a shell whose current directory, /workspace, holds the project described \
below, with the file(s) to complete in place: each region to write is marked by its marker \
line. Use the tools to look around the project, then edit the file(s): replace each marker \
line with the code that belongs there. Your answer is what the files hold when you are done \
(the text of your final message is not read). When you have finished, call submit()."""


@dataclass(frozen=True)
class AgentRun:
    """What one agent run used: assistant turns, tokens (input + output, as Inspect meters
    them), wall-clock seconds, and the limit it hit (None when it stopped by itself)."""

    agent: str
    steps: int
    tokens: int
    wall_s: float
    limit: str | None = None
    error: str | None = None

    def as_metadata(self) -> dict[str, Any]:
        return asdict(self)


@solver
def react_agent(
    messages: int | None = AgentLimits.messages,
    tokens: int | None = AgentLimits.tokens,
    wall_s: float | None = AgentLimits.wall_s,
    command_timeout_s: int = AgentLimits.command_timeout_s,
) -> Solver:
    """Run Inspect's `react` agent on the sample, in its `asebench-agent` sandbox."""

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        instance = instance_from_metadata(state.metadata)
        _, task = await asyncio.to_thread(open_instance, instance)
        await place_masked_files(sandbox(), task)
        agent = react(
            prompt=AgentPrompt(instructions=INSTRUCTIONS),
            tools=[bash(timeout=command_timeout_s), text_editor()],
        )
        metered = token_limit(tokens)
        agent_state = AgentState(messages=list(state.messages))
        started = time.monotonic()
        error = None
        with apply_limits([message_limit(messages), metered, time_limit(wall_s)],
                          catch_errors=True) as scope:
            try:
                agent_state = await agent(agent_state)
            except LimitExceededError:
                raise  # recorded by the limit scope
            except Exception as exc:  # a broken agent is this sample's answer failure
                error = f"{type(exc).__name__}: {exc}"
        state.messages = agent_state.messages
        if agent_state.output.choices:
            state.output = agent_state.output
        run = AgentRun(
            agent="react",
            steps=sum(isinstance(m, ChatMessageAssistant) for m in agent_state.messages),
            tokens=int(metered.usage),
            wall_s=round(time.monotonic() - started, 2),
            limit=str(scope.limit_error) if scope.limit_error is not None else None,
            error=error,
        )
        state.metadata[AGENT_RUN_KEY] = run.as_metadata()
        return state

    return solve
