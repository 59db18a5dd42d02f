"""Shared by poc.py and test.py (judge side): build the candidate's store package with one small
program (harness/) in the candidate's sandbox, offline and from the environment's warm build
cache (`asebench_probe.go`: the standard library is compiled once per environment, not once per
build), run it on usernames, read what it printed."""

import json
from pathlib import Path
from typing import Any

from asebench_probe import Completed
from asebench_probe.go import build as build_go
from asebench_probe.go import run

HARNESS = Path(__file__).parent / "harness"


def build() -> str | Exception:
    """The path of the built program in the candidate's sandbox, or the build's failure."""
    return build_go([HARNESS / "memdb.go", HARNESS / "calls.go"],
                    module="example.com/usersvc", version="v0.0.0", go="1.19")


def lookups(program: str, names: list[str]) -> dict[str, Any] | str:
    """What the program printed for `names`, or why it printed nothing usable."""
    done = run(program, [json.dumps(names)], timeout=15)
    if not isinstance(done, Completed):
        return str(done)
    try:
        got = json.loads(done.stdout)
    except json.JSONDecodeError:
        return f"no JSON: {done.stdout[-300:]!r}"
    return got if isinstance(got, dict) else f"unexpected output: {done.stdout[-300:]!r}"
