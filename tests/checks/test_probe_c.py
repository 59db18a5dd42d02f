"""`asebench_probe.c`: a C harness built with gcc against the candidate's sources in its real
sandbox, on the guard-page heap that turns a read past a block into an answer."""

from __future__ import annotations

import shutil

import pytest
from paired_script import reported

from asebench.probe.c import GUARD_EXIT, GUARD_SOURCE

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None or shutil.which("gcc") is None,
                                reason="needs bubblewrap and gcc")

LIBRARY = """#include <stddef.h>
int sum(const char *data, size_t size) {
    int total = 0;
    for (size_t i = 0; i <= size; i++) total += i < size ? data[i] : 0;
    return total;
}
int sum_past(const char *data, size_t size) {
    int total = 0;
    for (size_t i = 0; i <= size; i++) total += data[i];
    return total;
}
"""
HARNESS = """#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int sum(const char *, size_t);
int sum_past(const char *, size_t);
int main(int argc, char **argv) {
    size_t size = strlen(argv[2]);
    char *data = malloc(size);
    memcpy(data, argv[2], size);
    printf("%d\\n", strcmp(argv[1], "past") ? sum(data, size) : sum_past(data, size));
    free(data);
    return argc == 4 ? atoi(argv[3]) : 0;
}
"""
SCRIPT = """
import json
from pathlib import Path
from asebench_probe import report
from asebench_probe.c import build, run

def outcome(done):
    return done.stdout.strip() if hasattr(done, "stdout") else str(done)

harness = [Path(__file__).parent / "main.c"]
program = build(["sums.c"], harness)
plain = build(["sums.c"], harness, guard_heap=False)
broken = build(["broken.c"], harness)
report("pass", json.dumps({
    "within": outcome(run(program, ["in", "ab"])),
    "past": outcome(run(program, ["past", "abc"])),
    "unguarded": outcome(run(plain, ["in", "ab"])),
    "exit": outcome(run(program, ["in", "ab", "4"])),
    "any_exit": outcome(run(program, ["in", "ab", "4"], any_exit=True)),
    "broken": f"{type(broken).__name__}: {broken}",
}))
"""


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return reported(tmp_path_factory.mktemp("c"), SCRIPT, instance={"main.c": HARNESS},
                    workspace={"sums.c": LIBRARY, "broken.c": "int broken( {\n"})


def test_a_program_that_stays_in_its_blocks_answers(outcomes: dict[str, str]) -> None:
    assert outcomes["within"] == str(ord("a") + ord("b"))


def test_the_guard_heap_names_a_read_one_byte_past_a_block(outcomes: dict[str, str]) -> None:
    assert outcomes["past"] == "guard: heap-buffer-overflow at offset 3 of a 3-byte block"


def test_a_build_without_the_guard_heap_runs_too(outcomes: dict[str, str]) -> None:
    assert outcomes["unguarded"] == str(ord("a") + ord("b"))


def test_a_nonzero_exit_is_no_answer_unless_any_exit_is_asked(outcomes: dict[str, str]) -> None:
    assert outcomes["exit"].startswith("crashed (exit 4)")
    assert outcomes["any_exit"] == str(ord("a") + ord("b"))


def test_a_candidate_that_does_not_compile_gives_gccs_error(outcomes: dict[str, str]) -> None:
    assert outcomes["broken"].startswith("ValueError: compile error: ")
    assert "broken.c" in outcomes["broken"]


def test_the_guard_heap_source_ships_with_the_probe_library() -> None:
    assert f"#define GUARD_EXIT {GUARD_EXIT}" in GUARD_SOURCE.read_text()
