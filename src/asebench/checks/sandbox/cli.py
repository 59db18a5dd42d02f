"""`asebench sandbox run`: run one command in the sandbox, show its output and verdict."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from asebench.checks.protocol import verdict_line
from asebench.checks.sandbox.bwrap import run_sandboxed
from asebench.checks.sandbox.errors import SandboxUnavailable
from asebench.checks.sandbox.limits import Limits


def add_sandbox_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `sandbox run --workspace DIR [--instance DIR] [--env DIR] … -- CMD…`."""
    sandbox = subparsers.add_parser("sandbox", help="run commands in the bubblewrap sandbox")
    actions = sandbox.add_subparsers(dest="sandbox_command", required=True)
    run = actions.add_parser(
        "run",
        help="run one command sandboxed (no network, read-only host, nobody)",
        description="Run CMD in the sandbox with DIR as /workspace; print its output, the "
        "verdict line it printed (if any) and its exit code; exit with that code.",
    )
    run.add_argument("--workspace", type=Path, required=True, help="mounted read-write, cwd")
    run.add_argument("--instance", type=Path, help="mounted read-only at /instance")
    run.add_argument("--env", type=Path, help="mounted read-only at /env")
    run.add_argument("--timeout", type=float, default=60.0, help="wall-clock seconds (60)")
    run.add_argument("--memory", type=int, default=2048, help="memory limit in MB (2048)")
    run.add_argument("--workspace-quota", type=int, default=512, metavar="MB",
                     help="what the command may write to /workspace, in MiB (512; 0: no quota)")
    run.add_argument("command", nargs=argparse.REMAINDER, help="-- CMD [ARG…]")
    run.set_defaults(handler=run_command)


def run_command(args: argparse.Namespace) -> int:
    """Run the parsed `sandbox run` and return the exit code to leave with."""
    command = list(args.command)
    if command[:1] == ["--"]:
        command = command[1:]
    if not command:
        print("asebench sandbox run: give a command after --", file=sys.stderr)
        return 2
    try:
        result = run_sandboxed(
            command,
            workspace=args.workspace,
            instance_dir=args.instance,
            env_dir=args.env,
            limits=Limits(wall_s=args.timeout, memory_mb=args.memory,
                          workspace_mb=args.workspace_quota or None),
        )
    except SandboxUnavailable as exc:
        print(f"asebench sandbox run: {exc}", file=sys.stderr)
        return 125
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    verdict = verdict_line(result.stdout)
    summary = f"verdict: {json.dumps(verdict)}" if verdict else "verdict: no verdict line printed"
    print(f"--\n{summary}", file=sys.stderr)
    if result.killed_reason:
        print(f"killed: {result.killed_reason}", file=sys.stderr)
    print(f"exit code: {result.exit_code} ({result.duration_s:.2f}s)", file=sys.stderr)
    return result.exit_code if 0 <= result.exit_code < 256 else 124
