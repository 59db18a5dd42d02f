"""What a sandboxed command did."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SandboxResult:
    """Exit status and output of one sandboxed command.

    `exit_code` is the command's own exit code (128 + N when signal N killed it, -9 when the
    sandbox was killed from outside). `killed_reason` says why it was stopped early or failed
    for a limit, if it did: `"workspace quota exceeded"` (`workspace_full`), `"timeout"` (wall
    clock), `"cpu time limit"`, or the killing signal's name. `workspace_full` means the
    command used up the `/workspace` quota (bytes or files), so at least one of its writes
    failed with ENOSPC: the command's own doing, never a fault of the sandbox.
    """

    exit_code: int
    stdout: str
    stderr: str
    timed_out: bool = False
    killed_reason: str | None = None
    duration_s: float = 0.0
    output_truncated: bool = False
    workspace_full: bool = False

    @property
    def success(self) -> bool:
        """Exit code 0, in time, within the workspace quota."""
        return self.exit_code == 0 and not self.timed_out and not self.workspace_full
