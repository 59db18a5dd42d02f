"""Compile and run a Java harness against the candidate's sources and the environment's jars
(judge side).

An instance of a Java library has its artifact's dependencies (and the library itself) as jars
in `/env/lib`. `build` compiles the candidate's changed source files together with the judge's
harness classes (planted in `candidate.given`) against those jars with javac in the
candidate's sandbox, so the candidate's classes come first; `run` starts a harness class on the
JVM there:

    classes = build(["org/jsoup/internal/StringUtil.java"], [HERE / "Calls.java"])
    if isinstance(classes, Exception):
        undecided(str(classes))            # the candidate's code does not compile
    done = run(classes, "Calls", ["a", "b"])  # a Completed (exit 0), a Timeout, or why not
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from . import judge
from .judge import Completed, Timeout
from .programs import answered, build_failure, plant, private_path

JARS = "/env/lib/*"
"""The environment's jars, as a class path entry."""
BUILD_TIMEOUT_S = 100.0
# javac -d needs its directory to exist; $0.. are the arguments after the script
_JAVAC = ('mkdir "$0" && classpath="$1" && shift && '
          'javac -nowarn -proc:none -d "$0" -cp "$classpath" "$@"')


def build(sources: Sequence[str], harness: Sequence[Path], *, classpath: str = JARS,
          timeout: float = BUILD_TIMEOUT_S) -> str | Exception:
    """Compile `sources` (the candidate's `.java` files, relative to its tree) and the
    `harness` files (keeping their names: a public class's file is named after it) against
    `classpath`: the class directory in the candidate's private `/tmp`, or the build's failure
    (`ValueError` with javac's first `error:` line, or `RuntimeError` when javac crashed or
    timed out)."""
    planted = plant(harness)
    classes = private_path()
    argv = ["sh", "-c", _JAVAC, classes, classpath, *sources,
            *(str(planted / path.name) for path in harness)]
    failure = build_failure("javac", judge.candidate.run(argv, timeout=timeout),
                            label="compile error", wanted=lambda line: "error:" in line)
    return failure if failure is not None else classes


def run(classes: str, main_class: str, args: Sequence[str], *, classpath: str = JARS,
        timeout: float = 60.0) -> Completed | Timeout | str:
    """Run `main_class` from `classes` (then `classpath`) with `args` on the JVM in the
    candidate's sandbox: its `Completed` run (exit code 0), its `Timeout`, or why there is no
    answer in one line (`crashed (exit N): <end of stderr>` for an uncaught exception)."""
    done = judge.candidate.run(["java", "-cp", f"{classes}:{classpath}", main_class, *args],
                               timeout=timeout)
    return answered(done)
