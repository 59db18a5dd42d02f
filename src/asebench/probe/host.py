"""The candidate host: runs in the candidate's sandbox and does what the judge asks.

Started the same way for every PoC and test (`python3 -I -c <boot> FD`, cwd `/workspace`), it
never imports candidate code itself. It says hello on the channel (descriptor FD), then serves
one request at a time, each in a fresh child process in a session of its own:

- `{"op": "python", "code": ..., "args": ...}`: the code runs as the body of a function of
  `args` (a top-level `return` gives the value), with the candidate tree first on `sys.path`;
  the answer is `returned` (the value, JSON with bytes), `raised` (exception type and message),
  `crashed` (the process ended without an answer: exit code or signal) or `timeout`;
- `{"op": "run", "argv": [...], "stdin": ...}`: a command line in the candidate tree; the
  answer is `completed` (exit code, stdout, stderr), `crashed` (it could not start) or
  `timeout`.

After each request every process of its session is killed. The host itself is not dumpable (a
candidate process cannot ptrace it or read its memory); if the judge's end closes, it kills
the running request and exits. Standard library only.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import ctypes
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Sequence
from typing import Any

from .wire import HEADER, Reader, WireError, decode_value, encode_value, pack, send

PROTOCOL = 1
OUTPUT_CAP = 1 << 20
"""Bytes of a command's stdout (and of its stderr) kept; the rest is dropped."""
MESSAGE_CAP = 8 << 20
"""The largest answer a request's child may send, in bytes."""
WORKSPACE = "/workspace"
PR_SET_DUMPABLE = 4
_TEMPLATE = ast.parse("def __request__(args):\n    pass\n")


class ChannelClosed(Exception):
    """The judge's end of the channel closed while a request ran."""


def _not_dumpable() -> None:
    """No ptrace, no /proc/PID/mem for processes of the same uid (candidate code)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)


def _environment(request: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    extra = request.get("env") or {}
    env.update({str(k): str(v) for k, v in extra.items()})
    return env


def _kill_session(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def _wait(pid: int, streams: dict[int, bytearray], channel: Reader, deadline: float,
          done: Any = None) -> tuple[int | None, bool]:
    """Read `streams` until the child `pid` is gone and they are drained, `done(streams)` says
    enough was read, or `deadline` passes. Returns (wait status or None, timed out).

    `ChannelClosed` when the judge goes away meanwhile."""
    pidfd = os.pidfd_open(pid)
    status: int | None = None
    open_fds = set(streams)
    try:
        while True:
            if done is not None and done(streams):
                break
            if status is not None and not open_fds:
                break
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None, True
            watched = [*open_fds, channel.fd, *([pidfd] if status is None else [])]
            # a child gone but a grandchild holding its pipe: stop waiting soon after
            wait_s = remaining if status is None else min(remaining, 0.2)
            ready, _, _ = select.select(watched, [], [], wait_s)
            if not ready and status is not None:
                break
            for fd in ready:
                if fd == channel.fd:
                    if not channel.feed():
                        raise ChannelClosed
                elif fd == pidfd:
                    _, status = os.waitpid(pid, 0)
                else:
                    chunk = os.read(fd, 1 << 16)
                    if not chunk:
                        open_fds.discard(fd)
                    elif len(streams[fd]) < MESSAGE_CAP:
                        streams[fd] += chunk
        if status is None:
            _kill_session(pid)
            _, status = os.waitpid(pid, 0)
        return status, False
    finally:
        os.close(pidfd)
        _kill_session(pid)


def _ended(status: int | None) -> dict[str, Any]:
    if status is None:
        return {"status": "crashed", "exit_code": None, "signal": None}
    code = os.waitstatus_to_exitcode(status)
    if code < 0:
        return {"status": "crashed", "exit_code": None, "signal": signal.Signals(-code).name}
    return {"status": "crashed", "exit_code": code, "signal": None}


def _function(code: str) -> ast.Module:
    """`code` as the body of `__request__(args)` (line numbers kept, strings untouched)."""
    body = ast.parse(code, "<request>").body
    module = ast.parse("def __request__(args):\n    pass\n")
    function = module.body[0]
    assert isinstance(function, ast.FunctionDef)
    function.body = body or [ast.Pass()]
    return ast.fix_missing_locations(module)


def _child(request: dict[str, Any], out: int) -> None:
    """In the request's child: run the snippet, write one answer to `out`."""
    cwd = str(request.get("cwd") or WORKSPACE)
    os.chdir(cwd)
    os.environ.update({str(k): str(v) for k, v in (request.get("env") or {}).items()})
    sys.argv = [""]
    extra = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    sys.path[:0] = [*extra, cwd]
    try:
        namespace: dict[str, Any] = {"__name__": "__request__", "__builtins__": builtins}
        exec(compile(_function(str(request["code"])), "<request>", "exec"), namespace)
        value = namespace["__request__"](decode_value(request.get("args")))
        try:
            answer = pack({"status": "returned", "value": encode_value(value)})
        except (TypeError, ValueError) as exc:
            answer = pack({"status": "raised", "type": "TypeError",
                           "message": f"the value returned cannot be sent: {exc}"})
    except SystemExit as exc:  # an exit is an exit, not an answer
        code = exc.code if isinstance(exc.code, int) else 1
        os._exit(code)
    except BaseException as exc:  # the candidate's exception is the answer
        answer = pack({"status": "raised", "type": type(exc).__name__,
                       "message": str(exc)[:4000],
                       "traceback": "".join(traceback.format_exception(exc))[-4000:]})
    with contextlib.suppress(OSError):
        sys.stdout.flush()
        sys.stderr.flush()
    view = memoryview(answer)
    while view:
        view = view[os.write(out, view):]


def _run_python(request: dict[str, Any], channel: Reader, deadline: float) -> dict[str, Any]:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os.close(read_end)
            os.close(channel.fd)
            os.setsid()
            _child(request, write_end)
        finally:
            os._exit(0)
    os.close(write_end)
    answer = bytearray()

    def complete(streams: dict[int, bytearray]) -> bool:
        data = streams[read_end]
        return len(data) >= HEADER.size and len(data) >= HEADER.size + HEADER.unpack_from(data)[0]

    try:
        status, timed_out = _wait(pid, {read_end: answer}, channel, deadline, complete)
    finally:
        os.close(read_end)
    if timed_out:
        return {"status": "timeout"}
    message = _whole(answer)
    if message is None or message.get("status") not in ("returned", "raised"):
        return _ended(status)
    return message


def _whole(data: bytearray) -> dict[str, Any] | None:
    """The one message in `data` once it is complete (None before, or when malformed)."""
    reader = Reader(-1)
    reader.buffer = bytearray(data)
    try:
        return reader.message()
    except WireError:
        return None


def _run_command(request: dict[str, Any], channel: Reader, deadline: float) -> dict[str, Any]:
    argv = [str(a) for a in request.get("argv") or []]
    stdin = decode_value(request.get("stdin"))
    with tempfile.TemporaryFile() as given:
        if stdin is not None:
            given.write(stdin if isinstance(stdin, bytes) else str(stdin).encode("utf-8"))
            given.seek(0)
        try:
            process = subprocess.Popen(
                argv, cwd=str(request.get("cwd") or WORKSPACE), env=_environment(request),
                stdin=given, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                start_new_session=True,
            )
        except (OSError, ValueError) as exc:
            return {"status": "crashed", "exit_code": None, "signal": None,
                    "message": f"cannot start {argv[:1]}: {exc}"}
    assert process.stdout is not None and process.stderr is not None
    out, err = bytearray(), bytearray()
    streams = {process.stdout.fileno(): out, process.stderr.fileno(): err}
    try:
        status, timed_out = _wait(process.pid, streams, channel, deadline)
    finally:
        process.stdout.close()
        process.stderr.close()
        process.returncode = 0  # reaped by _wait; keep Popen from waiting again
    if timed_out:
        return {"status": "timeout"}
    assert status is not None
    return {"status": "completed", "exit_code": os.waitstatus_to_exitcode(status),
            "stdout": encode_value(bytes(out[:OUTPUT_CAP])),
            "stderr": encode_value(bytes(err[:OUTPUT_CAP]))}


def serve(request: dict[str, Any], channel: Reader) -> dict[str, Any]:
    """The answer to one request (`ChannelClosed` when the judge left meanwhile)."""
    timeout = float(request.get("timeout") or 10.0)
    deadline = time.monotonic() + timeout
    op = request.get("op")
    if op == "python":
        answer = _run_python(request, channel, deadline)
    elif op == "run":
        answer = _run_command(request, channel, deadline)
    else:
        answer = {"status": "error", "message": f"unknown op {op!r}"}
    answer["id"] = request.get("id")
    return answer


def _next_request(channel: Reader) -> dict[str, Any] | None:
    while True:
        message = channel.message()
        if message is not None:
            return message
        if not channel.feed():
            return None


def main(args: Sequence[str]) -> int:
    """Serve the judge on descriptor `args[0]` until it closes; 0, or 2 on a protocol error."""
    fd = int(args[0])
    _not_dumpable()
    os.set_blocking(fd, True)
    send(fd, {"hello": PROTOCOL})
    channel = Reader(fd)
    try:
        while True:
            request = _next_request(channel)
            if request is None:
                return 0
            try:
                answer = serve(request, channel)
            except ChannelClosed:
                return 0
            send(fd, answer)
    except (WireError, BrokenPipeError, ConnectionResetError) as exc:
        print(f"candidate host: {exc}", file=sys.stderr)
        return 2
