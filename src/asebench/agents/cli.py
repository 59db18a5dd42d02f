"""The command line of agents: `run --agent …` options and `asebench agent-audit`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from asebench.agents import AGENTS
from asebench.agents.limits import AgentLimits


def _limit(text: str) -> int | None:
    """A positive integer, or 0 / `none` for no limit (argparse turns `ArgumentTypeError`
    into a one-line error)."""
    if text.lower() == "none" or text == "0":
        return None
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an integer (0 or none: no limit)") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be a positive integer or 0 (no limit), got {text}")
    return value


def add_agent_options(run: argparse.ArgumentParser) -> None:
    """`--agent NAME` and its per-sample limits on `asebench run`."""
    run.add_argument("--agent", choices=AGENTS, default=None,
                     help="a coding agent edits the masked project in its sandbox, driven by "
                          "--model (react: Inspect's ReAct agent with bash and text_editor; "
                          "mini-swe-agent: the PyPI package, pip install mini-swe-agent)")
    run.add_argument("--agent-messages", type=_limit, default=AgentLimits.messages,
                     metavar="N", help="an agent's message limit per sample (0: none; "
                                       f"default {AgentLimits.messages})")
    run.add_argument("--agent-tokens", type=_limit, default=AgentLimits.tokens, metavar="N",
                     help=f"an agent's token limit per sample (0: none; default "
                          f"{AgentLimits.tokens})")
    run.add_argument("--agent-time", type=_limit, default=int(AgentLimits.wall_s or 0),
                     metavar="SECONDS", help="an agent's wall-clock limit per sample (0: none; "
                                             f"default {AgentLimits.wall_s:g})")


def agent_task_args(args: argparse.Namespace) -> dict[str, Any]:
    """The `ase` task arguments `--agent` and its limits give."""
    if args.agent is None:
        return {}
    if args.agent == "mini-swe-agent":
        from asebench.agents.mini_swe import AgentMissing, check_installed

        try:
            check_installed()
        except AgentMissing as exc:
            raise SystemExit(f"asebench run: {exc}") from None
    return {"agent": args.agent, "agent_messages": args.agent_messages,
            "agent_tokens": args.agent_tokens, "agent_time": args.agent_time}


def add_agent_audit_parser(subparsers: Any) -> None:
    what = ("search everything an agent's sandbox can read for the lines each instance's fix "
            "adds (zero hits required)")
    audit = subparsers.add_parser("agent-audit", help=what, description=what)
    audit.add_argument("dataset", nargs="?", default="builtin",
                       help="`builtin`, a dataset directory, or an A.S.E JSON file")
    audit.add_argument("--instances", help="comma-separated instance ids")
    audit.add_argument("--json", type=Path, help="also write the report as JSON")
    audit.set_defaults(handler=_audit)


def _audit(args: argparse.Namespace) -> int:
    from asebench.agents.audit import audit_dataset

    report = audit_dataset(args.dataset, args.instances)
    for leak in report.leaks:
        print(f"leak: {leak.instance}: {leak.path}: {leak.line}")
    for single in report.coincidences:
        print(f"note: one line of {single.instance}'s fix (not a copy of it) in {single.path}: "
              f"{single.line}")
    for problem in report.problems:
        print(f"not audited: {problem}", file=sys.stderr)
    lines = sum(report.telling.values())
    print(f"{len(report.leaks)} hit(s) of {lines} telling line(s) in {len(report.telling)} "
          f"instance(s); {len(report.problems)} not audited")
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({
            "leaks": [vars(leak) for leak in report.leaks],
            "single_line_coincidences": [vars(single) for single in report.coincidences],
            "telling_lines": report.telling,
            "problems": report.problems,
        }, indent=2), encoding="utf-8")
        print(f"written: {args.json}")
    return 1 if report.leaks or report.problems else 0
