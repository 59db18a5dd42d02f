"""A size quota on `/workspace`: one command's writes land on a bounded tmpfs, then in the tree.

Why this way: the workspace is a host directory on an unbounded disk, and a candidate wrote
2.1 GB into it in 6 s. A quota helper starts first, in a mount namespace of its own (as root
`unshare --mount`; not root `unshare --user --map-root-user --mount`, where the kernel lets
an unprivileged user mount tmpfs and overlayfs): it mounts a tmpfs of `Limits.workspace_mb`
and, over the workspace, an overlay whose writable layer is on that tmpfs. The sandbox binds
the workspace as before, so every write of the command goes to the tmpfs, and a write past the
quota fails with ENOSPC. When the command ends (or is killed at the wall-clock limit), the
helper notes whether the quota was full, unmounts the overlay and applies the changes to the
real workspace (`upper_merge`), so files persist between commands as they did without a quota.
The mounts live only in the helper's namespace: nothing is left mounted on the host, whatever
happens to the helper.

Neither bubblewrap 0.8 (no overlay options) nor a tmpfs alone would do: a tmpfs `/workspace`
would need the project copied in and out for every command. The quota bounds what one command
adds (written bytes, including files copied up to be changed, and `workspace_files` inodes);
commands one after another may each add up to it. The tmpfs is memory: the quota is also what a
command may cost in RAM.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from asebench.checks.sandbox.limits import MIB, Limits
from asebench.checks.sandbox.quota_helper import OVERLAY_OPTIONS, SETUP_FAILED

__all__ = ["OVERLAY_OPTIONS", "SETUP_FAILED", "QuotaStatus", "quota_argv", "read_status"]

_BOOT = "import sys; sys.path.insert(0, sys.argv.pop(1)); " \
        "from asebench.checks.sandbox.quota_helper import main; sys.exit(main(sys.argv[1:]))"


@dataclass(frozen=True)
class QuotaStatus:
    """What the quota helper saw: `full` when no byte or inode was left at the end (so at
    least one write failed with ENOSPC); `used_bytes` the command's writes; `timed_out` when it
    killed the command at the wall-clock limit; `error` when it could not set the quota up."""

    full: bool = False
    used_bytes: int = 0
    timed_out: bool = False
    error: str | None = None


def quota_argv(argv: Sequence[str], *, workspace: Path, limits: Limits, status: Path,
               keep: bool = True) -> list[str]:
    """`argv` (the sandbox command line) run under the quota helper for `workspace`.

    The helper (`quota_helper.main`, in a lean interpreter: `-I -S`, standard library only)
    writes its `QuotaStatus` to `status` as JSON and exits as `argv` did. `keep=False` drops
    what the command wrote instead of applying it to `workspace`.
    """
    assert limits.workspace_mb is not None
    unshare = ["unshare", "--mount", "--propagation", "private"]
    if os.geteuid() != 0:
        unshare[1:1] = ["--user", "--map-root-user"]
    source_root = str(Path(__file__).resolve().parents[3])
    return [
        *unshare, sys.executable, "-I", "-S", "-c", _BOOT, source_root,
        "--size", str(limits.workspace_mb * MIB), "--inodes", str(limits.workspace_files),
        "--deadline", repr(limits.wall_s), "--workspace", str(workspace),
        "--status", str(status), "--userns", "1" if os.geteuid() != 0 else "0",
        "--keep", "1" if keep else "0",
        "--", *argv,
    ]


def read_status(path: Path) -> QuotaStatus | None:
    """The helper's `QuotaStatus`, or None when it wrote none (it could not start)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "null")
    except (OSError, json.JSONDecodeError):
        return None
    if not isinstance(data, dict):
        return None
    return QuotaStatus(
        full=bool(data.get("full")),
        used_bytes=int(data.get("used_bytes", 0)),
        timed_out=bool(data.get("timed_out")),
        error=data.get("error"),
    )
