"""Build and run a Go harness against the candidate's module, offline (judge side).

The candidate tree is one Go module (at `/workspace`); the environment holds the module cache
its build needs (`/env/gomod`; the sandbox sets `GOPROXY=off`, `GOFLAGS=-mod=mod`) and a warm
build cache (`/env/gocache`, copied to the sandbox's `$GOCACHE` first, as go writes to it).
`build` makes a `harness` module of the judge's `.go` files that requires the candidate's
module replaced by `/workspace`, and builds it with `go build` in the candidate's sandbox;
`run` starts the program there:

    program = build([HERE / "main.go"], module="golang.org/x/net", version="v0.12.0")
    if isinstance(program, Exception):
        undecided(str(program))            # the candidate's code does not build
    done = run(program, ["[]"])           # a Completed (exit 0), a Timeout, or why not
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from . import judge
from .judge import Completed, Timeout
from .programs import answered, build_failure, plant, private_path

BUILD_TIMEOUT_S = 150.0
PROGRAM = "calls"
"""The built program's file name, inside the build directory."""
# $0: the planted sources (read-only for the candidate), $1: where to build (writable)
_GO_BUILD = ('cp -R /env/gocache "$GOCACHE" 2>/dev/null && chmod -R u+w "$GOCACHE"; '
             f'cp -r "$0" "$1" && cd "$1" && go build -o "$1/{PROGRAM}" .')


def go_mod(module: str, version: str, go: str = "1.21") -> str:
    """The harness module's go.mod: it requires `module` at `version`, read from the
    candidate tree (`replace ... => /workspace`); `go` is the language version it declares."""
    return (f"module harness\n\ngo {go}\n\nrequire {module} {version}\n\n"
            f"replace {module} => /workspace\n")


def build(harness: Sequence[Path], *, module: str, version: str, go: str = "1.21",
          timeout: float = BUILD_TIMEOUT_S) -> str | Exception:
    """Build the `harness` files (package main) against the candidate's `module` (`version`
    as its go.mod would require it; `go` the language version): the program's path in the
    candidate's private `/tmp`, or the build's failure (`ValueError` with go's first message
    line, or `RuntimeError` when go crashed or timed out)."""
    planted = plant(harness)
    (planted / "go.mod").write_text(go_mod(module, version, go))
    work = private_path()
    done = judge.candidate.run(["sh", "-c", _GO_BUILD, str(planted), work], timeout=timeout)
    failure = build_failure("go build", done, label="build error",
                            wanted=lambda line: bool(line.strip()) and not line.startswith("#"))
    return failure if failure is not None else f"{work}/{PROGRAM}"


def run(program: str, args: Sequence[str], *, timeout: float = 20.0
        ) -> Completed | Timeout | str:
    """Run a built program with `args` in the candidate's sandbox: its `Completed` run (exit
    code 0), its `Timeout`, or why there is no answer in one line (`crashed (exit N): <start
    of stderr>` for a panic, whose first line says what it was)."""
    return answered(judge.candidate.run([program, *args], timeout=timeout), stderr_start=True)
