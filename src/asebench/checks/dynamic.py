"""Dynamic checks: run an instance's PoC or functional test in the sandbox, read its verdict.

The script prints one JSON line `{"verdict": ..., "detail": ...}` and exits 0 (see
`data/README.md`). Anything else (non-zero exit, no verdict line, a timeout, a sandbox that
cannot start) is an infrastructure error: retried once, then reported apart, never `safe`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from asebench.checks.sandbox.bwrap import run_sandboxed
from asebench.checks.sandbox.errors import SandboxUnavailable
from asebench.checks.sandbox.limits import Limits
from asebench.checks.sandbox.result import SandboxResult
from asebench.dataset.schema import Command

CheckKind = Literal["poc", "test"]
Verdict = Literal["vulnerable", "safe", "pass", "fail"]
VERDICTS: Mapping[CheckKind, tuple[Verdict, Verdict]] = {
    "poc": ("vulnerable", "safe"),
    "test": ("pass", "fail"),
}
STDERR_TAIL = 2000
ATTEMPTS = 2


@dataclass(frozen=True)
class DynamicVerdict:
    """The outcome of one PoC or test: a verdict, or the infrastructure error that prevented one."""

    kind: CheckKind
    verdict: Verdict | None
    detail: str = ""
    infra_error: str | None = None
    result: SandboxResult | None = None
    attempts: int = 1

    @property
    def triggered(self) -> bool:
        """The PoC showed the vulnerability."""
        return self.verdict == "vulnerable"

    @property
    def passed(self) -> bool:
        """The functional test passed."""
        return self.verdict == "pass"


def verdict_line(stdout: str) -> dict[str, Any] | None:
    """The last stdout line that is a JSON object with a `verdict` key."""
    for line in reversed(stdout.splitlines()):
        text = line.strip()
        if not text.startswith("{"):
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            continue
        if isinstance(value, dict) and "verdict" in value:
            return value
    return None


def _tail(text: str) -> str:
    return text[-STDERR_TAIL:].strip()


def parse_verdict(result: SandboxResult, kind: CheckKind) -> DynamicVerdict:
    """Read the verdict of a finished PoC (`vulnerable`/`safe`) or test (`pass`/`fail`)."""

    def error(message: str) -> DynamicVerdict:
        return DynamicVerdict(kind, None, infra_error=message, result=result)

    if result.timed_out:
        return error(f"{kind} timed out after {result.duration_s:.1f}s")
    if result.exit_code != 0:
        reason = f" ({result.killed_reason})" if result.killed_reason else ""
        return error(f"{kind} exited with code {result.exit_code}{reason}: {_tail(result.stderr)}")
    line = verdict_line(result.stdout)
    if line is None:
        return error(f"{kind} printed no JSON verdict line: {_tail(result.stdout)}")
    verdict = line["verdict"]
    if verdict not in VERDICTS[kind]:
        allowed = " or ".join(VERDICTS[kind])
        return error(f"{kind} reported verdict {verdict!r}, expected {allowed}")
    detail = line.get("detail", "")
    text = detail if isinstance(detail, str) else json.dumps(detail)
    return DynamicVerdict(kind, verdict, detail=text, result=result)


def run_dynamic_check(
    command: Command,
    kind: CheckKind,
    *,
    workspace: Path,
    instance_dir: Path | None,
    env_dir: Path | None,
    limits: Limits | None = None,
) -> DynamicVerdict:
    """Run `command` in the sandbox and parse its verdict; retry an infrastructure error once."""
    limits = limits or Limits(wall_s=command.timeout)
    verdict = DynamicVerdict(kind, None, infra_error="not run")
    for attempt in range(1, ATTEMPTS + 1):
        try:
            result = run_sandboxed(
                command.run,
                workspace=workspace,
                instance_dir=instance_dir,
                env_dir=env_dir,
                limits=limits,
                env=command.env,
            )
        except SandboxUnavailable as exc:
            verdict = DynamicVerdict(kind, None, infra_error=f"sandbox unavailable: {exc}")
        else:
            verdict = parse_verdict(result, kind)
        verdict = replace(verdict, attempts=attempt)
        if verdict.infra_error is None:
            break
    return verdict
