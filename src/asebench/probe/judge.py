"""`asebench_probe`: what a PoC or functional test imports to question the candidate.

The script runs in the judge's sandbox (it sees `/instance`, and `/workspace` read-only); the
candidate's code runs only in the other sandbox, behind `candidate`:

    from asebench_probe import candidate, report, require

    found = candidate.run_python("from tools.linecount import count_lines\\n"
                                 "return count_lines(args)", args="/etc/hostname", timeout=10)
    require(found, "count_lines")          # Crash / Timeout / Raised: no verdict
    report("pass" if found == 1 else "fail", f"count_lines gave {found!r}")

`run_python` gives the value the code returned, or a `Raised`, `Crash` or `Timeout`; `run`
gives a `Completed` (exit code, output), or a `Crash` or `Timeout`. Times are measured here
(`candidate.elapsed`), on the judge's clock. `candidate.exchange` is a directory both sides see
at the same path (the candidate may write there); `candidate.given` is inside it and read-only
for the candidate (plant files there). `report` prints the verdict line and exits; `undecided`
exits without a verdict. Standard library only.

Harness programs in compiled languages are built and run in the candidate's sandbox by
`asebench_probe.c` (gcc, with a guard-page heap), `asebench_probe.java` (javac against
`/env/lib`) and `asebench_probe.go` (go build offline): `from asebench_probe.java import build`;
`asebench_probe.archives` writes zip archives for extraction PoCs; `asebench_probe.timing`
budgets a timing oracle (ReDoS) from a control request, so a loaded machine does not fool it.
"""

from __future__ import annotations

import importlib
import json
import os
import runpy
import secrets
import select
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from .web import Request, Response, request_all, script_urls
from .wire import Reader, WireError, decode_value, encode_value, send

__all__ = ["Completed", "Crash", "Raised", "Request", "Response", "Timeout", "candidate",
           "report", "require", "script_urls", "undecided"]

HELLO_TIMEOUT_S = 30.0
GRACE_S = 3.0
"""How long past a request's timeout the judge waits for the host's own answer."""
NO_HOST_EXIT = 125
NO_HOST_MESSAGE = "asebench-probe: the candidate host did not start"
UNDECIDED_EXIT = 3
SUBMODULES = ("archives", "c", "java", "go", "timing")
"""Modules of this package a script imports as `asebench_probe.<name>` (see `main`)."""


class Failure:
    """Base of what a request gives instead of an answer."""


@dataclass(frozen=True)
class Raised(Failure):
    """The candidate's code raised an exception (`type` is its class name)."""

    type: str
    message: str
    traceback: str = ""

    def __str__(self) -> str:
        return f"raised {self.type}: {self.message}"


@dataclass(frozen=True)
class Crash(Failure):
    """The candidate's process ended without an answer (exit code or signal), or the
    candidate's side went away (`message`)."""

    exit_code: int | None = None
    signal: str | None = None
    message: str = ""

    def __str__(self) -> str:
        how = (f"exit code {self.exit_code}" if self.exit_code is not None
               else f"signal {self.signal}" if self.signal else self.message or "ended")
        return f"crashed ({how})"


@dataclass(frozen=True)
class Timeout(Failure):
    """No answer within the request's timeout (`seconds`, the judge's clock)."""

    seconds: float

    def __str__(self) -> str:
        return f"no answer within {self.seconds:.1f}s"


@dataclass(frozen=True)
class Completed:
    """A command that ran to its end in the candidate's sandbox."""

    exit_code: int
    stdout_bytes: bytes
    stderr_bytes: bytes
    seconds: float

    @property
    def stdout(self) -> str:
        return self.stdout_bytes.decode("utf-8", "replace")

    @property
    def stderr(self) -> str:
        return self.stderr_bytes.decode("utf-8", "replace")


class Candidate:
    """The candidate's side of the channel: one request at a time."""

    def __init__(self, fd: int, exchange: Path) -> None:
        self.fd = fd
        self.exchange = exchange
        self.given = exchange / "given"
        self.elapsed = 0.0
        """Seconds the last request took, from sending it to its answer (judge's clock)."""
        self._reader = Reader(fd)
        self._next_id = 0
        self._gone: str | None = None

    def hello(self, timeout: float = HELLO_TIMEOUT_S) -> bool:
        """Wait for the host's greeting; False when none came (the host did not start)."""
        message = self._receive(time.monotonic() + timeout)
        return isinstance(message, dict) and "hello" in message

    def scratch(self) -> Path:
        """A fresh directory with a random name in `exchange` (both sides read and write it)."""
        path = self.exchange / secrets.token_hex(6)
        path.mkdir(mode=0o755)
        return path

    def run_python(self, code: str, *, args: Any = None, timeout: float = 10.0,
                   env: Mapping[str, str] | None = None, cwd: str | None = None) -> Any:
        """Run `code` as the body of a function of `args` in a fresh candidate process (the
        candidate tree first on `sys.path`, cwd `/workspace`): the value it returns (JSON
        values and bytes; tuples come back as lists), or `Raised`, `Crash` or `Timeout`."""
        answer = self._request({"op": "python", "code": code, "args": encode_value(args),
                                "env": dict(env or {}), "cwd": cwd}, timeout)
        if isinstance(answer, Failure):
            return answer
        if answer.get("status") == "returned":
            return decode_value(answer.get("value"))
        if answer.get("status") == "raised":
            return Raised(str(answer.get("type")), str(answer.get("message")),
                          str(answer.get("traceback") or ""))
        return _failure(answer, self.elapsed)

    def run(self, argv: Sequence[str], *, timeout: float = 10.0,
            stdin: bytes | str | None = None, env: Mapping[str, str] | None = None,
            cwd: str | None = None) -> Completed | Crash | Timeout:
        """Run a command line in the candidate's sandbox (cwd `/workspace`, its PATH)."""
        answer = self._request({"op": "run", "argv": list(argv), "env": dict(env or {}),
                                "cwd": cwd, "stdin": encode_value(stdin)}, timeout)
        if isinstance(answer, Failure):
            return answer if isinstance(answer, (Crash, Timeout)) else Crash(message=str(answer))
        if answer.get("status") == "completed":
            out, err = decode_value(answer.get("stdout")), decode_value(answer.get("stderr"))
            return Completed(int(answer.get("exit_code") or 0), bytes(out or b""),
                             bytes(err or b""), self.elapsed)
        failed = _failure(answer, self.elapsed)
        return failed if isinstance(failed, (Crash, Timeout)) else Crash(message=str(failed))

    def serve(self, argv: Sequence[str], sock: Path, requests: Sequence[Request], *,
              timeout: float = 20.0) -> tuple[Completed | Crash | Timeout, list[Response]]:
        """Run the server command `argv` in the candidate's sandbox and, meanwhile, send it
        `requests` from here over the Unix socket `sock` (in a `scratch()` directory; `argv`
        must make the server listen there and exit after the last answer): (the command's
        outcome, one `Response` per request that was sent, in order). The requests wait for
        the socket as long as the command runs (at most `timeout` seconds): a loaded machine
        may take seconds to start the server."""
        got: list[Response] = []
        gone = threading.Event()
        client = threading.Thread(target=request_all, args=(sock, requests, got),
                                  kwargs={"wait_s": timeout, "server_gone": gone}, daemon=True)
        client.start()
        done = self.run(argv, timeout=timeout)
        gone.set()
        client.join(timeout)
        return done, list(got)

    def _request(self, message: dict[str, Any], timeout: float) -> dict[str, Any] | Failure:
        if self._gone is not None:
            self.elapsed = 0.0
            return Crash(message=self._gone)
        self._next_id += 1
        message.update(id=self._next_id, timeout=timeout)
        started = time.monotonic()
        try:
            send(self.fd, message)
        except OSError as exc:
            self._gone = f"the candidate's side is gone ({exc})"
            return Crash(message=self._gone)
        deadline = started + timeout + GRACE_S
        while True:
            answer = self._receive(deadline)
            self.elapsed = time.monotonic() - started
            if answer is None:
                if self._gone is not None:
                    return Crash(message=self._gone)
                return Timeout(self.elapsed)
            if answer.get("id") == self._next_id:
                if answer.get("status") == "timeout":
                    return Timeout(self.elapsed)
                return answer
            # an answer to an earlier request that timed out here: dropped

    def _receive(self, deadline: float) -> dict[str, Any] | None:
        while True:
            try:
                message = self._reader.message()
            except WireError as exc:
                self._gone = f"the candidate's side sent garbage ({exc})"
                return None
            if message is not None:
                return message
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([self.fd], [], [], remaining)
            if ready:
                try:
                    alive = self._reader.feed()
                except OSError as exc:
                    alive, self._gone = False, f"the candidate's side is gone ({exc})"
                if not alive:
                    self._gone = self._gone or "the candidate's side ended"
                    return None


def _failure(answer: dict[str, Any], elapsed: float) -> Failure:
    if answer.get("status") == "timeout":
        return Timeout(elapsed)
    signal_name = answer.get("signal")
    code = answer.get("exit_code")
    return Crash(exit_code=code if isinstance(code, int) else None,
                 signal=str(signal_name) if signal_name else None,
                 message=str(answer.get("message") or answer.get("status") or ""))


candidate: Candidate
"""The candidate of this check (set before the PoC or test script runs)."""


def report(verdict: str, detail: str = "") -> NoReturn:
    """Print the verdict line (`vulnerable`/`safe` for a PoC, `pass`/`fail` for a test) and
    end the script."""
    sys.stdout.write(json.dumps({"verdict": verdict, "detail": detail}) + "\n")
    sys.stdout.flush()
    raise SystemExit(0)


def undecided(reason: str) -> NoReturn:
    """End the script without a verdict: the judge then runs the same script on the gold fix,
    and if that gives a verdict, this one is the candidate's failure (never `safe`)."""
    sys.stderr.write(f"undecided: {reason}\n")
    sys.stderr.flush()
    raise SystemExit(UNDECIDED_EXIT)


def require(value: Any, what: str) -> Any:
    """`value`, unless it is a `Failure`: then `undecided` (e.g. the module does not import)."""
    if isinstance(value, Failure):
        undecided(f"{what}: {value}")
    return value


def main(args: Sequence[str]) -> int:
    """`FD EXCHANGE SCRIPT`: wait for the candidate host, then run the PoC or test script."""
    global candidate
    fd, exchange, script = int(args[0]), Path(args[1]), args[2]
    os.set_blocking(fd, True)
    candidate = Candidate(fd, exchange)
    if not candidate.hello():
        print(NO_HOST_MESSAGE, file=sys.stderr)
        return NO_HOST_EXIT
    for name in SUBMODULES:  # `asebench_probe` is this module: give it its submodules
        sys.modules[f"asebench_probe.{name}"] = importlib.import_module(f".{name}", __package__)
    sys.argv = [script]
    runpy.run_path(script, run_name="__main__")
    return 0
