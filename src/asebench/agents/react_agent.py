"""`--agent react`: Inspect's ReAct agent with `bash` and `text_editor`, in the agent sandbox.

The agent gets the same system and user messages as a plain model (`prompt.py`), after one
system message of its own saying where the project is and that its edits are its answer. Its
masked file(s) are written into `/workspace` first. Limits on messages, tokens and wall time
apply to the agent alone; what it used (steps = assistant turns, tokens, seconds) and the limit
it hit, if any, go in the sample's metadata under `AGENT_RUN_KEY` for the scorer and reports
(the steps around the loop are every agent's: `agent_run.py`).
"""

from __future__ import annotations

from inspect_ai.agent import AgentPrompt, AgentState, react
from inspect_ai.model import ChatMessageAssistant
from inspect_ai.solver import Generate, Solver, TaskState, solver
from inspect_ai.tool import bash
from inspect_ai.util import message_limit, time_limit, token_limit

from asebench.agents.agent_run import AGENT_RUN_KEY, AgentRun, prepare_workspace, run_bounded
from asebench.agents.editor_tool import text_editor
from asebench.agents.limits import AgentLimits

INSTRUCTIONS = """\
You are working in a shell whose current directory, /workspace, holds the project described \
below, with the file(s) to complete in place: each region to write is marked by its marker \
line. Use the tools to look around the project, then edit the file(s): replace each marker \
line with the code that belongs there. Your answer is what the files hold when you are done \
(the text of your final message is not read). When you have finished, call submit()."""


@solver
def react_agent(
    messages: int | None = AgentLimits.messages,
    tokens: int | None = AgentLimits.tokens,
    wall_s: float | None = AgentLimits.wall_s,
    command_timeout_s: int = AgentLimits.command_timeout_s,
) -> Solver:
    """Run Inspect's `react` agent on the sample, in its `asebench-agent` sandbox."""

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        await prepare_workspace(state)
        agent = react(
            prompt=AgentPrompt(instructions=INSTRUCTIONS),
            tools=[bash(timeout=command_timeout_s), text_editor()],
        )
        metered = token_limit(tokens)
        # the agent adds to this state as it goes: a run a limit ended keeps what it did
        agent_state = AgentState(messages=list(state.messages))
        bounded = await run_bounded(lambda: agent(agent_state),
                                    [message_limit(messages), metered, time_limit(wall_s)])
        if bounded.result is not None:
            agent_state = bounded.result
        state.messages = agent_state.messages
        if agent_state.output.choices:
            state.output = agent_state.output
        run = AgentRun(
            agent="react",
            steps=sum(isinstance(m, ChatMessageAssistant) for m in agent_state.messages),
            tokens=int(metered.usage), wall_s=bounded.wall_s, limit=bounded.limit,
            error=bounded.error,
        )
        state.metadata[AGENT_RUN_KEY] = run.as_metadata()
        return state

    return solve
