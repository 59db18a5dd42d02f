"""Shared by poc.py and test.py (judge side): compile the candidate's project with one small
program (harness/Calls.java) in the candidate's sandbox, run it, read what it printed."""

import secrets
from pathlib import Path

from asebench_probe import Completed, candidate

HARNESS = Path(__file__).parent / "harness" / "Calls.java"


def build() -> str | Exception:
    """The class directory in the candidate's sandbox, or the compilation's failure."""
    source = candidate.given / secrets.token_hex(4)
    source.mkdir()
    (source / "Calls.java").write_text(HARNESS.read_text())
    out = f"/tmp/{secrets.token_hex(4)}"
    done = candidate.run(["sh", "-c", 'mkdir "$0" && javac -nowarn -d "$0" '
                          '$(find src -name "*.java") "$1"', out, str(source / "Calls.java")],
                         timeout=80)
    if not isinstance(done, Completed):
        return RuntimeError(f"javac: {done}")
    if done.exit_code != 0:
        errors = [line for line in done.stderr.splitlines() if "error:" in line]
        return ValueError(f"compile error: {(errors or [done.stderr[-200:]])[0][:300]}")
    return out


def calls(classes: str, root: Path, names: list[str]) -> dict[str, list[list[str]]] | str:
    """{"list": [...], "size": [...], "read": [[status, value], ...]}, or why there is none."""
    done = candidate.run(["java", f"-Djava.io.tmpdir={classes}", "-cp", classes, "Calls",
                          str(root), *names], timeout=40)
    if not isinstance(done, Completed):
        return str(done)
    if done.exit_code != 0:
        return f"crashed (exit {done.exit_code}): {done.stderr.strip()[-300:]}"
    got: dict[str, list[list[str]]] = {"list": [], "size": [], "read": []}
    for line in done.stdout.splitlines():
        what, *rest = line.split("\t")
        if what in got:
            got[what].append(rest)
    if len(got["read"]) != len(names) or len(got["list"]) != 1 or len(got["size"]) != 1:
        return f"unexpected output: {done.stdout[-300:]!r}"
    return got
