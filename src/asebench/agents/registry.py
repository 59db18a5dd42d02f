"""The agents `--agent NAME` can run, and what each needs from the task."""

from __future__ import annotations

from inspect_ai.solver import Solver

from asebench.agents import AGENTS
from asebench.agents.limits import AgentLimits
from asebench.agents.mini_swe import mini_swe_agent
from asebench.agents.react_agent import react_agent


def agent_solver(name: str, limits: AgentLimits) -> Solver:
    """The solver that runs agent `name` with `limits`; `ValueError` for an unknown name,
    `AgentMissing` (with an install hint) for an external agent that is not installed."""
    if name == "react":
        return react_agent(messages=limits.messages, tokens=limits.tokens, wall_s=limits.wall_s,
                           command_timeout_s=limits.command_timeout_s)
    if name == "mini-swe-agent":
        return mini_swe_agent(messages=limits.messages, tokens=limits.tokens,
                              wall_s=limits.wall_s, command_timeout_s=limits.command_timeout_s)
    raise ValueError(f"agent must be one of {', '.join(AGENTS)}, got {name!r}")
