"""`--agent mini-swe-agent`: the mini-swe-agent package (PyPI) on asebench's tasks.

mini-swe-agent's own loop (`DefaultAgent`, its text-based configuration `mini_textbased.yaml`:
one ```mswea_bash_command block per turn, `echo COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT` to
finish) runs unchanged. Two adapters plug it into the sample: its commands run in the agent's
bwrap sandbox (`sandbox_view.py`, the same view as `react`'s), and its model is the Inspect
model of the run, so any Inspect provider drives it and Inspect meters its tokens. The task is
the same system and user messages as a plain model's, with the agent note of `react_agent`.
mini-swe-agent is synchronous: it runs in a worker thread that calls back into the event loop.
"""

from __future__ import annotations

import importlib.util
import os
from typing import Any

import anyio.from_thread
import anyio.to_thread
import yaml
from inspect_ai.model import (
    ChatMessage,
    ChatMessageAssistant,
    ChatMessageSystem,
    ChatMessageUser,
    Model,
    ModelOutput,
    get_model,
)
from inspect_ai.solver import Generate, Solver, TaskState, solver
from inspect_ai.util import sandbox, token_limit

from asebench.agents.agent_run import AGENT_RUN_KEY, AgentRun, prepare_workspace, run_bounded
from asebench.agents.limits import AgentLimits
from asebench.agents.react_agent import INSTRUCTIONS

NAME = "mini-swe-agent"
INSTALL_HINT = ("--agent mini-swe-agent needs the mini-swe-agent package: pip install "
                "mini-swe-agent (its model settings are not needed: asebench drives it with "
                "the run's --model)")
SUBMIT = "COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT"
CONFIG = "mini_textbased.yaml"
ACTION_REGEX = r"```mswea_bash_command\s*\n(.*?)\n```"
"""How a text-based mini-swe-agent model marks its command (the package's default, which its
configuration file leaves to the model class)."""


class AgentMissing(RuntimeError):
    """An external agent that is not installed (the message says how to install it)."""


def check_installed() -> None:
    """Raise `AgentMissing` with the install hint unless mini-swe-agent can be imported."""
    if importlib.util.find_spec("minisweagent") is None:
        raise AgentMissing(INSTALL_HINT)


def _module(name: str) -> Any:
    """A module of the optional mini-swe-agent package (imported by name: it has no stubs)."""
    os.environ.setdefault("MSWEA_SILENT_STARTUP", "1")  # no banner on our standard output
    return importlib.import_module(name)


def _config() -> dict[str, Any]:
    path = _module("minisweagent").package_dir / "config" / CONFIG
    loaded: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded


class SandboxShell:
    """mini-swe-agent's environment: each command in a fresh shell of the agent's sandbox."""

    def __init__(self, timeout_s: int) -> None:
        self.timeout_s = timeout_s
        self.config: dict[str, Any] = {"timeout": timeout_s}

    def execute(self, action: dict[str, Any], cwd: str = "", *,
                timeout: int | None = None) -> dict[str, Any]:
        submitted = _module("minisweagent.exceptions").Submitted
        command = str(action.get("command", ""))
        try:
            done = anyio.from_thread.run(lambda: sandbox().exec(
                ["bash", "-c", command], cwd=cwd or None, timeout=timeout or self.timeout_s))
            text, code, problem = done.stdout + done.stderr, done.returncode, ""
        except TimeoutError as exc:
            text, code, problem = "", -1, f"the command timed out: {exc}"
        lines = text.lstrip().splitlines(keepends=True)
        if lines and lines[0].strip() == SUBMIT and code == 0:
            submission = "".join(lines[1:])
            raise submitted({"role": "exit", "content": submission,
                             "extra": {"exit_status": "Submitted", "submission": submission}})
        return {"output": text, "returncode": code, "exception_info": problem}

    def get_template_vars(self, **kwargs: Any) -> dict[str, Any]:
        return {"system": "Linux", "release": "", "version": "", "machine": "x86_64", **kwargs}

    def serialize(self) -> dict[str, Any]:
        return {"info": {"config": {"environment": self.config,
                                    "environment_type": "asebench bwrap sandbox"}}}


class InspectTextModel:
    """mini-swe-agent's model: the run's Inspect model, actions read from the text as
    mini-swe-agent's text-based models read them."""

    def __init__(self, model: Model, config: dict[str, Any]) -> None:
        self.model = model
        self.config = config
        self.calls = 0

    def query(self, messages: list[dict[str, Any]], **kwargs: Any) -> dict[str, Any]:
        parse_regex_actions = _module("minisweagent.models.utils.actions_text").parse_regex_actions
        chat: list[ChatMessage] = []
        for message in messages:
            role, content = message.get("role"), str(message.get("content") or "")
            if role == "system":
                chat.append(ChatMessageSystem(content=content))
            elif role == "user":
                chat.append(ChatMessageUser(content=content))
            elif role == "assistant":
                chat.append(ChatMessageAssistant(content=content))
        output: ModelOutput = anyio.from_thread.run(lambda: self.model.generate(chat))
        self.calls += 1
        content = output.completion
        message = {"role": "assistant", "content": content, "extra": {"cost": 0.0}}
        finish = output.stop_reason
        # a reply without exactly one action raises mini-swe-agent's FormatError, which its
        # loop answers with the format reminder
        message["extra"]["actions"] = parse_regex_actions(
            content, action_regex=self.config.get("action_regex", ACTION_REGEX),
            format_error_template=self.config["format_error_template"],
            template_kwargs={"finish_reason": "length" if finish == "max_tokens" else "stop"})
        return message

    def format_message(self, **kwargs: Any) -> dict[str, Any]:
        return dict(kwargs)

    def format_observation_messages(self, message: dict[str, Any], outputs: list[dict[str, Any]],
                                    template_vars: dict[str, Any] | None = None
                                    ) -> list[dict[str, Any]]:
        actions_text = _module("minisweagent.models.utils.actions_text")
        observed: list[dict[str, Any]] = actions_text.format_observation_messages(
            outputs, observation_template=self.config["observation_template"],
            template_vars=template_vars)
        return observed

    def get_template_vars(self, **kwargs: Any) -> dict[str, Any]:
        return dict(kwargs)

    def serialize(self) -> dict[str, Any]:
        return {"info": {"config": {"model": {"name": str(self.model)}}}}


def _transcript(messages: list[dict[str, Any]]) -> list[ChatMessage]:
    """mini-swe-agent's conversation as Inspect messages, for the log."""
    out: list[ChatMessage] = []
    for message in messages:
        content = str(message.get("content") or "")
        if message.get("role") == "assistant":
            out.append(ChatMessageAssistant(content=content))
        elif message.get("role") == "system":
            out.append(ChatMessageSystem(content=content))
        else:
            out.append(ChatMessageUser(content=content))
    return out


@solver
def mini_swe_agent(
    messages: int | None = AgentLimits.messages,
    tokens: int | None = AgentLimits.tokens,
    wall_s: float | None = AgentLimits.wall_s,
    command_timeout_s: int = AgentLimits.command_timeout_s,
) -> Solver:
    """Run mini-swe-agent on the sample, in its `asebench-agent` sandbox; `AgentMissing` (with
    the install hint) when the package is not installed. `messages` bounds its steps (one
    reply and one command result each: `messages // 2`), since its conversation is its own."""
    check_installed()
    config = _config()

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        default_agent = _module("minisweagent.agents.default").DefaultAgent
        await prepare_workspace(state)
        prompt = "\n\n".join([INSTRUCTIONS, *(m.text for m in state.messages)])
        agent_config = dict(config["agent"])
        # a step is one reply and one result; the wall-clock limit is checked by the agent
        # itself between steps (its thread cannot be cancelled in the middle of one)
        agent_config.update(step_limit=(messages or 0) // 2, cost_limit=0.0,
                            wall_time_limit_seconds=int(wall_s or 0))
        model = InspectTextModel(get_model(), config["model"])
        agent = default_agent(model, SandboxShell(command_timeout_s), **agent_config)
        metered = token_limit(tokens)

        async def loop() -> str:
            result = await anyio.to_thread.run_sync(agent.run, prompt)
            return str(result.get("exit_status", ""))

        bounded = await run_bounded(loop, [metered])
        error, exit_status = bounded.error, bounded.result or ""
        if exit_status == "LimitsExceeded":
            limit: str | None = f"step limit {agent_config['step_limit']} reached"
        elif exit_status == "TimeExceeded":
            limit = f"time limit {wall_s:g} s reached"
        else:
            limit = bounded.limit
        if exit_status not in ("", "Submitted", "LimitsExceeded", "TimeExceeded") \
                and error is None:
            error = f"mini-swe-agent stopped: {exit_status}"
        state.messages = [*state.messages, *_transcript(agent.messages[2:])]
        state.output = ModelOutput.from_content(model=str(model.model), content=exit_status)
        run = AgentRun(agent=NAME, steps=model.calls, tokens=int(metered.usage),
                       wall_s=bounded.wall_s, limit=limit, error=error)
        state.metadata[AGENT_RUN_KEY] = run.as_metadata()
        return state

    return solve
