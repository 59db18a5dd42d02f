"""Run a process tree with a wall-clock deadline and bounded output, then make sure it is gone."""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import IO

DRAIN_AFTER_KILL_S = 5.0


@dataclass(frozen=True)
class ProcessOutcome:
    """Raw outcome: exit code as `subprocess` reports it (negative = killed by that signal)."""

    returncode: int
    stdout: bytes
    stderr: bytes
    timed_out: bool
    truncated: bool
    duration_s: float


class _Capped:
    """Keeps the first `limit` bytes of a stream and drops the rest (so the writer never blocks)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.data = bytearray()
        self.truncated = False

    def add(self, chunk: bytes) -> None:
        room = self.limit - len(self.data)
        if len(chunk) > room:
            self.truncated = True
        self.data += chunk[: max(room, 0)]


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def _drain(streams: dict[int, tuple[IO[bytes], _Capped]], deadline: float | None) -> bool:
    """Read both pipes until EOF; False when `deadline` passed first."""
    with selectors.DefaultSelector() as selector:
        for fd in streams:
            selector.register(fd, selectors.EVENT_READ)
        open_fds = set(streams)
        while open_fds:
            timeout = None if deadline is None else deadline - time.monotonic()
            if timeout is not None and timeout <= 0:
                return False
            for key, _ in selector.select(timeout):
                chunk = os.read(key.fd, 65536)
                if chunk:
                    streams[key.fd][1].add(chunk)
                else:
                    selector.unregister(key.fd)
                    open_fds.discard(key.fd)
    return True


def run_process(
    argv: Sequence[str],
    *,
    timeout_s: float,
    output_bytes: int,
    stdin: bytes | None = None,
    env: Mapping[str, str] | None = None,
) -> ProcessOutcome:
    """Run `argv` in its own process group; SIGKILL the group at the deadline."""
    started = time.monotonic()
    process = subprocess.Popen(
        list(argv),
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env=dict(env) if env is not None else {"PATH": "/usr/bin:/bin"},
        close_fds=True,
    )
    assert process.stdout is not None and process.stderr is not None
    if stdin is not None and process.stdin is not None:
        _feed(process.stdin, stdin)
    out, err = _Capped(output_bytes), _Capped(output_bytes)
    streams = {
        process.stdout.fileno(): (process.stdout, out),
        process.stderr.fileno(): (process.stderr, err),
    }
    timed_out = False
    try:
        if not _drain(streams, started + timeout_s):
            timed_out = True
            _kill_group(process)
            _drain(streams, time.monotonic() + DRAIN_AFTER_KILL_S)
        try:
            returncode = process.wait(timeout=max(started + timeout_s - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            timed_out = True
            _kill_group(process)
            returncode = process.wait()
    except BaseException:
        _kill_group(process)
        process.wait()
        raise
    finally:
        process.stdout.close()
        process.stderr.close()
    return ProcessOutcome(
        returncode=returncode,
        stdout=bytes(out.data),
        stderr=bytes(err.data),
        timed_out=timed_out,
        truncated=out.truncated or err.truncated,
        duration_s=time.monotonic() - started,
    )


def _feed(pipe: IO[bytes], data: bytes) -> None:
    """Write stdin from a thread, so input larger than a pipe buffer cannot block us."""

    def write() -> None:
        try:
            pipe.write(data)
        except BrokenPipeError:
            pass
        finally:
            pipe.close()

    threading.Thread(target=write, daemon=True).start()
