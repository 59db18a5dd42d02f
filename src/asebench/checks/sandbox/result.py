"""What a sandboxed command did."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SandboxResult:
    """Exit status and output of one sandboxed command.

    `exit_code` is the command's own exit code (128 + N when signal N killed it, -9 when the
    sandbox was killed from outside). `killed_reason` says why it was stopped early or failed
    for a limit, if it did: `"workspace quota exceeded"` (`workspace_full`), `"timeout"` (wall
    clock), `"out of memory"` (the sandbox as a whole passed its memory limit and was killed;
    `out_of_memory`), `"cpu time limit"`, or the killing signal's name. `workspace_full` means the
    command used up the `/workspace` quota (bytes or files), so at least one of its writes
    failed with ENOSPC: the command's own doing, never a fault of the sandbox.
    `containment` names the cgroup controllers that bounded the sandbox as a whole
    (`"pids"`, `"memory"`, `"cpu"`); a limit whose controller is absent held per process only
    (rlimits).
    """

    exit_code: int
    stdout: str
    stderr: str
    timed_out: bool = False
    killed_reason: str | None = None
    duration_s: float = 0.0
    output_truncated: bool = False
    workspace_full: bool = False
    out_of_memory: bool = False
    containment: tuple[str, ...] = ()

    @property
    def success(self) -> bool:
        """Exit code 0, in time, within the workspace quota and the memory limit."""
        return (self.exit_code == 0 and not self.timed_out and not self.workspace_full
                and not self.out_of_memory)
