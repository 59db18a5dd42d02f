"""How a PoC or test tells its verdict, read from a finished command (no I/O here).

Native instances (`data/README.md`): the script exits 0 and prints one JSON line
`{"verdict": ..., "detail": ...}` — `vulnerable`/`safe` for a PoC, `pass`/`fail` for a test.
Judged checks (`asebench-judge` commands) are read the same way, from the judge's sandbox only:
the candidate's code runs in another sandbox and cannot print there.
A.S.E v2 container instances: shell commands print `[A.S.E] …` marker lines. Anything else
(a non-zero exit, no verdict, a timeout) means the command gave no verdict; whether that is the
candidate's fault or the infrastructure's is decided by the judge with a control run.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from asebench.checks.sandbox.result import SandboxResult

CheckKind = Literal["status", "test", "poc"]
Protocol = Literal["native", "judged", "ase"]
NATIVE_VERDICTS: Mapping[CheckKind, tuple[str, str]] = {
    "poc": ("vulnerable", "safe"),
    "test": ("pass", "fail"),
    "status": ("pass", "fail"),
}
ASE_MARKERS: Mapping[CheckKind, tuple[str, str]] = {
    # (positive, negative): the negative is looked for first ("not found" contains "found")
    "status": ("[A.S.E] image startup successfully", "[A.S.E] image startup failed"),
    "test": ("[A.S.E] test case passed", "[A.S.E] test case failed"),
    "poc": ("[A.S.E] vulnerability found", "[A.S.E] vulnerability not found"),
}
TAIL = 2000


@dataclass(frozen=True)
class Reading:
    """A verdict read off a command's output, or why there is none (`error`)."""

    verdict: str | None
    detail: str = ""
    error: str | None = None


def verdict_line(stdout: str) -> dict[str, Any] | None:
    """The last stdout line that is a JSON object with a `verdict` key."""
    for line in reversed(stdout.split("\n")):
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
    return text[-TAIL:].strip()


def _unfinished(result: SandboxResult, kind: CheckKind) -> str | None:
    if result.timed_out:
        return f"{kind} timed out after {result.duration_s:.1f}s"
    if result.exit_code != 0:
        reason = f" ({result.killed_reason})" if result.killed_reason else ""
        return f"{kind} exited with code {result.exit_code}{reason}: {_tail(result.stderr)}"
    return None


def read_native(result: SandboxResult, kind: CheckKind) -> Reading:
    """asebench's protocol: exit 0 and a JSON verdict line naming one of the kind's verdicts."""
    unfinished = _unfinished(result, kind)
    if unfinished is not None:
        return Reading(None, error=unfinished)
    line = verdict_line(result.stdout)
    if line is None:
        return Reading(None, error=f"{kind} printed no JSON verdict line: {_tail(result.stdout)}")
    verdict = line["verdict"]
    if verdict not in NATIVE_VERDICTS[kind]:
        allowed = " or ".join(NATIVE_VERDICTS[kind])
        return Reading(None, error=f"{kind} reported verdict {verdict!r}, expected {allowed}")
    detail = line.get("detail", "")
    return Reading(str(verdict), detail if isinstance(detail, str) else json.dumps(detail))


def ase_marker(step: CheckKind, output: str) -> bool | None:
    """True / False when A.S.E's positive / negative marker is printed, None when neither is."""
    positive, negative = ASE_MARKERS[step]
    if negative in output:
        return False
    if positive in output:
        return True
    return None


def read_ase(result: SandboxResult, kind: CheckKind) -> Reading:
    """A.S.E's protocol: the step's marker anywhere in the output, whatever the exit code."""
    marked = ase_marker(kind, result.stdout + "\n" + result.stderr)
    if marked is None:
        why = ("timed out" if result.timed_out
               else f"no [A.S.E] marker (exit {result.exit_code}): {_tail(result.stdout)[-400:]}")
        return Reading(None, error=f"A.S.E {kind} command: {why}")
    positive, negative = NATIVE_VERDICTS[kind]
    return Reading(positive if marked else negative)


def read(result: SandboxResult, kind: CheckKind, protocol: Protocol) -> Reading:
    """The verdict of `result` under `protocol`."""
    return read_ase(result, kind) if protocol == "ase" else read_native(result, kind)
