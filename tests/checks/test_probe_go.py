"""`asebench_probe.go`: a Go harness module built offline against the candidate's module
(replaced by `/workspace`) with `go build`, then run, in the real sandbox."""

from __future__ import annotations

import shutil

import pytest
from paired_script import reported

from asebench.probe.go import go_mod

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None or shutil.which("go") is None,
                                reason="needs bubblewrap and go")

MODULE = "example.com/greet"
GREET = "package greet\n\nfunc Hello(name string) string { return \"hello \" + name }\n"
HARNESS = """package main

import (
\t"os"

\t"example.com/greet"
)

func main() {
\tif os.Args[1] == "boom" {
\t\tpanic("asked to fail")
\t}
\tos.Stdout.WriteString(greet.Hello(os.Args[1]) + "\\n")
}
"""
SCRIPT = """
import json
from pathlib import Path
from asebench_probe import report
from asebench_probe.go import build, run

def outcome(done):
    return done.stdout.strip() if hasattr(done, "stdout") else str(done)

program = build([Path(__file__).parent / "main.go"], module="example.com/greet",
                version="v0.0.0")
broken = build([Path(__file__).parent / "main.go"], module="example.com/missing",
               version="v0.0.0")
report("pass", json.dumps({
    "greet": outcome(run(program, ["world"])),
    "boom": outcome(run(program, ["boom"])),
    "broken": f"{type(broken).__name__}: {broken}",
}))
"""


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return reported(tmp_path_factory.mktemp("go"), SCRIPT, instance={"main.go": HARNESS},
                    workspace={"go.mod": f"module {MODULE}\n\ngo 1.21\n", "greet.go": GREET},
                    env_folders=("gomod",))


def test_the_harness_module_builds_against_the_candidate_tree(outcomes: dict[str, str]) -> None:
    assert outcomes["greet"] == "hello world"


def test_a_panic_is_a_crash_that_says_what_it_was(outcomes: dict[str, str]) -> None:
    assert outcomes["boom"].startswith("crashed (exit 2): panic: asked to fail")


def test_a_build_that_fails_gives_gos_first_message(outcomes: dict[str, str]) -> None:
    assert outcomes["broken"].startswith("ValueError: build error: ")


def test_the_harness_module_requires_the_candidate_module_from_the_workspace() -> None:
    assert go_mod(MODULE, "v1.2.3", "1.23").splitlines() == [
        "module harness", "", "go 1.23", "", f"require {MODULE} v1.2.3", "",
        f"replace {MODULE} => /workspace"]
