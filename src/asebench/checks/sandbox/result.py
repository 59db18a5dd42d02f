"""What a sandboxed command did."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SandboxResult:
    """Exit status and output of one sandboxed command.

    `exit_code` is the command's own exit code (128 + N when signal N killed it, -9 when the
    sandbox was killed from outside). `killed_reason` says why it was stopped early, if it was:
    `"timeout"` (wall clock), `"cpu time limit"`, or the killing signal's name.
    """

    exit_code: int
    stdout: str
    stderr: str
    timed_out: bool = False
    killed_reason: str | None = None
    duration_s: float = 0.0
    output_truncated: bool = False

    @property
    def success(self) -> bool:
        return self.exit_code == 0 and not self.timed_out
