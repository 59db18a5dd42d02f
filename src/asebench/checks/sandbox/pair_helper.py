"""The helper that runs a judged check's two sandboxes, in a mount namespace of its own.

`paired.run_paired` starts it (as root `unshare --mount`; not root, in a user namespace of its
own). It mounts a bounded tmpfs on the exchange directory (so what the candidate writes there
costs at most its size, and the mount vanishes with the namespace whatever happens), lays out
`shared/`, `given/` and the candidate's log, then starts both sandboxes: the candidate's with
its end of the channel and its output going to the log, the judge's with the other end and the
helper's own stdout and stderr. Each gets only its own end, and the helper keeps none: when
one side ends, the other reads end of file. When the judge ends (or at the
deadline, when it is killed), the candidate is stopped; the helper exits as the judge did and
writes a status file (the candidate log's tail, or why it could not start).

Standard library only (plus `asebench.mounts`, which uses nothing else): it starts for every
judged check.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import socket
import time
from collections.abc import Sequence
from pathlib import Path

from asebench.checks.sandbox.quota_helper import wait_group
from asebench.mounts import mount_tmpfs

SETUP_FAILED = 125
CHANNEL_FD = 3
"""Where each sandbox finds its end of the channel."""
LOG_TAIL = 4000
STOP_GRACE_S = 2.0
"""How long the candidate has to leave on its own once the judge's end is closed."""


def main(args: Sequence[str]) -> int:
    """`--name value` options, `--`, the candidate's argv, `--judge--`, the judge's argv.

    Returns the judge's exit code (dies of its signal when a signal ended it), or
    `SETUP_FAILED` when the exchange could not be mounted (nothing ran; the status says why).
    """
    options, candidate, judge = _parse(args)
    status = Path(options["status"])
    exchange = Path(options["exchange"])
    uid = int(options["uid"])
    started = time.monotonic()
    try:
        mount_tmpfs(exchange, size_bytes=int(options["size"]), inodes=int(options["inodes"]),
                    mode=0o755)
        for name in ("shared", "given", "shared/given"):
            (exchange / name).mkdir(mode=0o755)
            os.chown(exchange / name, uid, uid)
    except OSError as exc:
        _write(status, error=f"cannot mount the exchange directory: {exc}")
        return SETUP_FAILED
    candidate_end, judge_end = socket.socketpair()
    # above the target number, so that placing it there is a real dup (clearing close-on-exec)
    candidate_fd = fcntl.fcntl(candidate_end.fileno(), fcntl.F_DUPFD_CLOEXEC, 10)
    judge_fd = fcntl.fcntl(judge_end.fileno(), fcntl.F_DUPFD_CLOEXEC, 10)
    candidate_end.close()
    judge_end.close()
    log = exchange / "candidate.log"
    log_fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    null = os.open(os.devnull, os.O_RDONLY)
    candidate_pid = os.posix_spawnp(candidate[0], candidate, os.environ, setpgroup=0,
                                    file_actions=[(os.POSIX_SPAWN_DUP2, null, 0),
                                                  (os.POSIX_SPAWN_DUP2, log_fd, 1),
                                                  (os.POSIX_SPAWN_DUP2, log_fd, 2),
                                                  (os.POSIX_SPAWN_DUP2, candidate_fd,
                                                   CHANNEL_FD)])
    judge_pid = os.posix_spawnp(judge[0], judge, os.environ, setpgroup=0,
                                file_actions=[(os.POSIX_SPAWN_DUP2, judge_fd, CHANNEL_FD)])
    for fd in (candidate_fd, judge_fd, log_fd, null):
        os.close(fd)
    deadline = float(options["deadline"]) - (time.monotonic() - started)
    returncode, timed_out = wait_group(judge_pid, deadline)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    _stop(candidate_pid, quota=options.get("quota") == "1")
    _write(status, timed_out=timed_out, candidate_log=_tail(log))
    if returncode < 0:  # die as the judge died, so the caller sees the same signal
        if -returncode not in (signal.SIGKILL, signal.SIGSTOP):
            signal.signal(-returncode, signal.SIG_DFL)
        os.kill(os.getpid(), -returncode)
    return returncode


def _parse(args: Sequence[str]) -> tuple[dict[str, str], list[str], list[str]]:
    items = list(args)
    split, middle = items.index("--"), items.index("--judge--")
    head = items[:split]
    options = {key.removeprefix("--"): value for key, value in zip(head[::2], head[1::2],
                                                                     strict=True)}
    return options, items[split + 1:middle], items[middle + 1:]


def _stop(pid: int, *, quota: bool) -> None:
    """End the candidate's sandbox: its host leaves when the channel closes; past a grace,
    the quota helper is told to kill its sandbox (SIGALRM, its deadline signal), or the
    process group is killed when there is no quota helper."""
    until = time.monotonic() + STOP_GRACE_S
    while time.monotonic() < until:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            return
        time.sleep(0.01)
    with contextlib.suppress(ProcessLookupError):
        if quota:
            os.kill(pid, signal.SIGALRM)
        else:
            os.killpg(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def _tail(path: Path) -> str:
    try:
        with open(path, "rb") as stream:
            stream.seek(max(os.fstat(stream.fileno()).st_size - LOG_TAIL, 0))
            return stream.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _write(path: Path, **status: object) -> None:
    """The status `paired.read_pair_status` reads."""
    path.write_text(json.dumps(status), encoding="utf-8")
