"""Shared by poc.py and test.py (judge side): compile the candidate's library sources with one
small program (harness/calls.c) in the candidate's sandbox, run it, read the return codes."""

import secrets
from pathlib import Path

from asebench_probe import Completed, candidate

HARNESS = Path(__file__).parent / "harness" / "calls.c"


def build() -> str | Exception:
    """The program's path in the candidate's sandbox, or the compilation's failure."""
    source = candidate.given / f"{secrets.token_hex(4)}.c"
    source.write_text(HARNESS.read_text())
    program = f"/tmp/{secrets.token_hex(4)}"
    done = candidate.run(["gcc", "-std=c11", "-D_GNU_SOURCE", "-O1", "-w", "-Isrc", "-o",
                          program, "src/compress.c", "src/rotate.c", str(source)], timeout=60)
    if not isinstance(done, Completed):
        return RuntimeError(f"gcc: {done}")
    if done.exit_code != 0:
        errors = [line for line in done.stderr.splitlines() if "error" in line]
        return ValueError(f"compile error: {(errors or [done.stderr[-200:]])[0][:300]}")
    return program


def call(program: str, *args: str) -> list[int] | str:
    """The return code of each call, or why there are none."""
    done = candidate.run([program, *args], cwd="/tmp", timeout=20)
    if not isinstance(done, Completed):
        return str(done)
    if done.exit_code != 0:
        return f"crashed (exit {done.exit_code}): {done.stderr.strip()[-300:]}"
    codes = []
    for line in done.stdout.splitlines():
        _, _, code = line.partition("\t")
        try:
            codes.append(int(code))
        except ValueError:
            return f"unexpected output: {done.stdout[-300:]!r}"
    return codes
