"""Build and run a C harness against the candidate's sources (judge side), optionally on a
guard-page heap.

`build` compiles the candidate's C files (paths in its tree) with the judge's harness files
(paths on the judge's side, planted in `candidate.given`) and any libraries (e.g. what the
environment built once, `/env/build/libgif.a`) with gcc in the candidate's sandbox:

    program = build(["cJSON.c"], [HERE / "parse.c"], libraries=["-lm"])
    if isinstance(program, Exception):
        undecided(str(program))            # the candidate's code does not compile
    done = run(program, ["/tmp/x/in.json"])  # a Completed, a Timeout, or why not (text)

With `guard_heap` (the default) every malloc/calloc/realloc/reallocarray/free of the objects
linked here (`-Wl,--wrap`; the C library keeps its own heap) goes to the guard-page heap of
`guard_alloc.c`: each block ends where an inaccessible page begins and a freed block stays
inaccessible, so the first byte read or written past a block, or into a freed one, faults; the
program then exits with `GUARD_EXIT` and a last stderr line `guard: <what> at offset N of a
M-byte block`, which `run` returns as the answer's text. AddressSanitizer would find the same,
but its shadow memory needs terabytes of address space, which the sandbox's rlimits refuse.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from . import judge
from .judge import Completed, Timeout
from .programs import answered, build_failure, plant, private_path

GUARD_SOURCE = Path(__file__).with_name("guard_alloc.c")
"""The guard-page heap's C source (shipped with the probe library)."""
GUARD_EXIT = 97
"""The exit code of a program whose guarded heap caught a bad access (as in GUARD_SOURCE)."""
GUARD_PREFIX = "guard: "
WRAPPED = ("malloc", "free", "calloc", "realloc", "reallocarray")
FLAGS = ("-std=gnu99", "-O0", "-g", "-w")
BUILD_TIMEOUT_S = 120.0


def build(sources: Sequence[str], harness: Sequence[Path], *, libraries: Sequence[str] = (),
          guard_heap: bool = True, flags: Sequence[str] = FLAGS,
          timeout: float = BUILD_TIMEOUT_S) -> str | Exception:
    """Compile `sources` (the candidate's files, relative to its tree, which is also on the
    include path) with the `harness` files and `libraries` (gcc arguments after the objects:
    `-lm`, an archive's path) into one program in the candidate's private `/tmp`: its path
    there, or the build's failure (`ValueError` with the first compiler error line, or
    `RuntimeError` when gcc crashed or timed out)."""
    planted = plant([*harness, *([GUARD_SOURCE] if guard_heap else [])])
    program = private_path()
    wrap = ["-Wl," + ",".join(f"--wrap={name}" for name in WRAPPED)] if guard_heap else []
    argv = ["gcc", *flags, "-I.", "-o", program, *sources,
            *(str(planted / path.name) for path in harness),
            *([str(planted / GUARD_SOURCE.name)] if guard_heap else []), *libraries, *wrap]
    failure = build_failure("gcc", judge.candidate.run(argv, timeout=timeout),
                            label="compile error", wanted=lambda line: "error" in line)
    return failure if failure is not None else program


def run(program: str, args: Sequence[str], *, timeout: float = 30.0, cwd: str = "/tmp",
        any_exit: bool = False) -> Completed | Timeout | str:
    """Run a built program in the candidate's sandbox: its `Completed` run (exit code 0, or
    any with `any_exit`), its `Timeout`, or why there is no answer in one line, the guard's
    own (`guard: ...`) when the guarded heap caught an access past or after a block."""
    done = judge.candidate.run([program, *args], timeout=timeout, cwd=cwd)
    if isinstance(done, Completed) and done.exit_code == GUARD_EXIT:
        last = (done.stderr.strip().splitlines() or [""])[-1]
        if last.startswith(GUARD_PREFIX):
            return last
    return answered(done, any_exit=any_exit)
