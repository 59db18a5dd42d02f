"""rename-statics on C: file-scope `static` functions and variables renamed at every use (the
program prints the same), members, comments and strings untouched, unsafe names refused with
the reason, and upstream code recited into the mutant no longer compiles."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from asebench.dataset.schema import Language
from asebench.mutation.candidates import Candidate, Surroundings
from asebench.mutation.edits import Span
from asebench.mutation.operators import OPERATORS, operators_for
from asebench.mutation.outcome import FileState, OperatorOutcome
from asebench.mutation.rename import candidates

SOURCE = textwrap.dedent('''\
    #include <stdio.h>

    struct counter { int hits; int scale; };
    static int scale = 3;
    static int add_scaled(int value);

    static int add_scaled(int value) {
        return value * scale;
    }

    static int total(const int *items, int count) {
        struct counter c = {0, 2};
        int acc = 0;
        for (int i = 0; i < count; i++) {
            acc += add_scaled(items[i]);
        }
        c.hits = count;
        c.scale = acc; /* add_scaled and scale in a comment stay */
        return c.scale + c.hits;
    }

    int main(void) {
        int data[3] = {1, 2, 3};
        printf("%d\\n", total(data, 3));
        return 0;
    }
    ''')
REGION = Span(11, 20)  # the whole function `total`, as C regions usually are


def _found(source: str, others: dict[str, str] | None = None) -> dict[str, Candidate]:
    state = FileState("m.c", source, [Span(1, 1)])
    return {c.name: c for c in candidates(Language.C, state, Surroundings([Span(1, 1)],
                                                                          others or {}),
                                          "private")}


def _mutant(seed: int) -> OperatorOutcome:
    return OPERATORS["rename-statics"].run(Language.C, FileState("m.c", SOURCE, [REGION]),
                                           random.Random(seed), Surroundings([REGION]))


def _gcc(tmp_path: Path, source: str, name: str) -> subprocess.CompletedProcess[str]:
    gcc = shutil.which("gcc")
    if gcc is None:
        pytest.skip("gcc is not installed")
    (tmp_path / f"{name}.c").write_text(source)
    return subprocess.run([gcc, "-std=c99", "-Wall", "-Werror", "-o", name, f"{name}.c"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "LC_ALL": "C"})  # ASCII quotes in messages


def _prints(tmp_path: Path, source: str, name: str) -> str:
    built = _gcc(tmp_path, source, name)
    assert built.returncode == 0, built.stderr
    return subprocess.run([str(tmp_path / name)], capture_output=True, text=True, check=True,
                          timeout=30).stdout


def _with_region(text: str, region: str) -> str:
    lines = text.split("\n")
    return "\n".join(lines[:REGION.start - 1] + region.split("\n")
                     + lines[REGION.end:])


def _region(text: str) -> str:
    return "\n".join(text.split("\n")[REGION.start - 1:REGION.end])


def test_the_operator_is_for_c_only() -> None:
    assert "rename-statics" in operators_for(Language.C)
    assert "rename-statics" not in operators_for(Language.PYTHON)


def test_every_static_is_a_candidate_with_each_identifier_occurrence() -> None:
    found = _found(SOURCE)
    assert sorted(found) == ["add_scaled", "scale", "total"]
    assert all(c.refusal is None for c in found.values())
    assert len(found["add_scaled"].occurrences) == 3  # prototype, definition, call
    assert len(found["scale"].occurrences) == 2  # the member `c.scale` is not the static
    assert found["total"].scope == "static function (line 11)"
    assert found["scale"].scope == "static variable (line 4)"


def test_renamed_statics_compile_and_print_the_same(tmp_path: Path) -> None:
    outcome = _mutant(3)
    assert sorted(outcome.names.plain) == ["add_scaled", "scale", "total"]
    assert "add_scaled(" not in outcome.text.replace("/* add_scaled", "")
    assert "c.scale = acc; /* add_scaled and scale in a comment stay */" in outcome.text
    assert "struct counter { int hits; int scale; };" in outcome.text
    assert outcome.text.count("\n") == SOURCE.count("\n")
    assert _prints(tmp_path, outcome.text, "mutant") == _prints(tmp_path, SOURCE, "upstream")


def test_the_upstream_region_no_longer_compiles_in_the_mutant(tmp_path: Path) -> None:
    outcome = _mutant(3)
    recited = _gcc(tmp_path, _with_region(outcome.text, _region(SOURCE)), "recited")
    assert recited.returncode != 0
    assert "implicit declaration of function 'add_scaled'" in recited.stderr
    gold = outcome.names.apply_code(_region(SOURCE), Language.C)  # the gold, renamed
    assert _prints(tmp_path, _with_region(outcome.text, gold), "gold") == _prints(
        tmp_path, SOURCE, "upstream")


def test_main_and_names_a_macro_or_a_preprocessor_line_writes_are_refused() -> None:
    source = textwrap.dedent('''\
        #define TWICE() (helper(1) * 2)
        static int limit = 4;
        #ifdef limit
        #endif
        static int helper(int n) { return n + limit; }
        static int main(void) { return TWICE(); }
        ''')
    found = _found(source)
    assert found["helper"].refusal == ("written in a #define of the project (a macro could "
                                       "reach the name by spelling)")
    assert found["limit"].refusal == "appears in a preprocessor line at line 3"
    assert found["main"].refusal == "main is called by the C runtime by name"


def test_a_name_another_file_writes_is_refused() -> None:
    source = "static int helper(int n) { return n + 1; }\n"
    test = '#include "../m.c"\nint main(void) { return helper(1) != 2; }\n'
    assert _found(source)["helper"].refusal is None
    assert _found(source, {"tests/helper.c": test})["helper"].refusal == (
        "also written in tests/helper.c")


def test_a_name_in_a_string_or_passed_to_a_stringifying_macro_is_refused() -> None:
    source = textwrap.dedent('''\
        #include <stdio.h>
        #define SHOW(f) puts(#f)
        static int trace;
        static void helper(void) { SHOW(helper); }
        static void log_it(void) { if (trace) puts("trace on"); }
        ''')
    found = _found(source)
    assert found["trace"].refusal == "appears in a string literal at line 5"
    assert found["helper"].refusal == "passed to the macro SHOW, which stringifies or pastes " \
                                      "tokens"
    assert found["log_it"].refusal is None


def test_a_name_shadowed_by_a_parameter_or_a_block_declaration_is_refused() -> None:
    source = textwrap.dedent('''\
        static int count;
        static int depth;
        static int step(int count) { return count + 1; }
        static int walk(void) {
            if (step(0)) {
                int depth = 2;
                return depth;
            }
            return depth;
        }
        ''')
    found = _found(source)
    assert found["count"].refusal == "also declared as a parameter or in a block (line 3)"
    assert found["depth"].refusal == "also declared as a parameter or in a block (line 6)"
    assert found["step"].refusal is None and found["walk"].refusal is None


def test_a_name_written_where_tree_sitter_sees_no_plain_name_is_refused() -> None:
    source = "static int helper(int n) { return n + 1; }\nint f(void) { helper(; }\n"
    assert _found(source)["helper"].refusal == (
        "written at line 2 in code tree-sitter cannot parse cleanly")
