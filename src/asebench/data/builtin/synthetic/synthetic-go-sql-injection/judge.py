"""Shared by poc.py and test.py (judge side): build the candidate's store package with one small
program (harness/) in the candidate's sandbox, run it on usernames, read what it printed."""

import json
import secrets
from pathlib import Path
from typing import Any

from asebench_probe import Completed, candidate

HARNESS = Path(__file__).parent / "harness"
GO_ENV = {"GOCACHE": "/tmp/gocache", "GOPATH": "/tmp/gopath", "GOFLAGS": "-mod=mod",
          "GOPROXY": "off", "GOTOOLCHAIN": "local", "GO111MODULE": "on"}
GO_MOD = """module harness

go 1.19

require example.com/usersvc v0.0.0
replace example.com/usersvc => /workspace
"""


def build() -> str | Exception:
    """The path of the built program in the candidate's sandbox, or the build's failure."""
    source = candidate.given / secrets.token_hex(4)
    source.mkdir()
    (source / "go.mod").write_text(GO_MOD)
    for name in ("memdb.go", "calls.go"):
        (source / name).write_text((HARNESS / name).read_text())
    work = f"/tmp/{secrets.token_hex(4)}"
    done = candidate.run(["sh", "-c", 'cp -r "$0" "$1" && cd "$1" && go build -o "$1/calls" .',
                          str(source), work], env=GO_ENV, timeout=100)
    if not isinstance(done, Completed):
        return RuntimeError(f"go build: {done}")
    if done.exit_code != 0:
        lines = [line for line in (done.stderr + done.stdout).splitlines()
                 if not line.startswith("#")]
        return ValueError(f"build error: {(lines or [''])[0][:300]}")
    return f"{work}/calls"


def lookups(program: str, names: list[str]) -> dict[str, Any] | str:
    """What the program printed for `names`, or why it printed nothing usable."""
    done = candidate.run([program, json.dumps(names)], timeout=15)
    if not isinstance(done, Completed):
        return str(done)
    if done.exit_code != 0:
        return f"crashed (exit {done.exit_code}): {done.stderr.strip()[:300]}"
    try:
        got = json.loads(done.stdout)
    except json.JSONDecodeError:
        return f"no JSON: {done.stdout[-300:]!r}"
    return got if isinstance(got, dict) else f"unexpected output: {done.stdout[-300:]!r}"
