"""rename-locals on C: block scopes resolved as C does, the program prints the same, and
names a macro, a global or an outer block could reach are refused with the reason."""

from __future__ import annotations

import random
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from asebench.dataset.schema import Language
from asebench.mutation.candidates import Candidate, Surroundings
from asebench.mutation.edits import Span
from asebench.mutation.outcome import FileState
from asebench.mutation.rename import candidates, rename

SOURCE = textwrap.dedent('''\
    #include <stdio.h>
    #define TWICE(v) ((v) * 2)
    static int total = 3;

    static int sum(const int *items, int count) {
        int acc = 0;
        for (int i = 0; i < count; i++) {
            int item = items[i];
            {
                int i = item + 1;
                acc += i;
            }
        }
        {
            int count = 1;
            acc += count;
        }
        return acc + total + TWICE(count);
    }

    int main(void) {
        int data[3] = {1, 2, 3};
        printf("%d\\n", sum(data, 3));
        return 0;
    }
    ''')
REGION = Span(11, 11)  # `acc += i;` inside the inner block


def _found(source: str, region: Span, others: dict[str, str] | None = None
           ) -> dict[str, Candidate]:
    state = FileState("m.c", source, [region])
    return {c.name: c for c in candidates(Language.C, state, Surroundings([region],
                                                                          others or {}))}


def _prints(tmp_path: Path, source: str, name: str) -> str:
    gcc = shutil.which("gcc")
    if gcc is None:
        pytest.skip("gcc is not installed")
    (tmp_path / f"{name}.c").write_text(source)
    subprocess.run([gcc, "-Wall", "-Werror", "-o", name, f"{name}.c"], cwd=tmp_path,
                   check=True, timeout=120)
    return subprocess.run([str(tmp_path / name)], capture_output=True, text=True, check=True,
                          timeout=30).stdout


def test_every_local_of_the_function_is_a_candidate_including_shadowed_ones() -> None:
    found = _found(SOURCE, REGION)
    assert sorted(found) == ["acc", "count", "i", "item", "items"]
    assert all(c.refusal is None for c in found.values())
    assert len(found["i"].occurrences) == 6  # the loop's i and the inner block's i
    assert len(found["count"].occurrences) == 5  # parameter, inner block, macro argument


def test_renamed_c_compiles_and_prints_the_same(tmp_path: Path) -> None:
    outcome = rename("local", Language.C, FileState("m.c", SOURCE, [REGION]), random.Random(0),
                     Surroundings([REGION]))
    assert outcome.changes and not outcome.refusals
    assert "total" in outcome.text and "TWICE(" in outcome.text and "main(void)" in outcome.text
    assert outcome.text.count("\n") == SOURCE.count("\n")
    assert _prints(tmp_path, outcome.text, "mutant") == _prints(tmp_path, SOURCE, "upstream")


def test_a_name_that_reaches_a_global_after_its_block_is_refused() -> None:
    source = textwrap.dedent('''\
        int limit = 4;
        int f(int n) {
            {
                int limit = n;
                n += limit;
            }
            return n + limit;
        }
        ''')
    found = _found(source, Span(5, 5))
    assert found["limit"].refusal == "also names something outside the function (line 7)"
    assert found["n"].refusal is None


def test_names_written_in_a_define_or_an_extern_are_refused() -> None:
    source = textwrap.dedent('''\
        #define NEXT() (cursor + 1)
        int f(int cursor, int step) {
            extern int step;
            return NEXT() + cursor + step;
        }
        ''')
    found = _found(source, Span(4, 4))
    assert found["cursor"].refusal == ("written in a #define of the project (a macro could "
                                       "reach the local by name)")
    assert found["step"].refusal == "also declared extern or as a function (line 3)"


def test_a_define_in_a_project_header_counts_too() -> None:
    source = "int f(int width) {\n    return AREA(2) + width;\n}\n"
    header = "#define AREA(h) \\\n    ((h) * width)\n"
    assert _found(source, Span(2, 2))["width"].refusal is None
    assert _found(source, Span(2, 2), {"src/area.h": header})["width"].refusal == (
        "written in a #define of the project (a macro could reach the local by name)")


def test_a_stringifying_macro_refuses_every_local_of_the_function() -> None:
    source = '#define SHOW(v) puts(#v)\nvoid f(int shown) {\n    SHOW(shown);\n}\n'
    refusal = _found(source, Span(3, 3))["shown"].refusal
    assert refusal == "the function uses the macro SHOW, which stringifies or pastes tokens"


def test_a_function_inside_a_preprocessor_block_is_found() -> None:
    source = ("#ifdef HAVE_F\nint g;\nint f(int width) {\n    return width + g;\n}\n#endif\n"
              "int h(void) {\n    int g = 1;\n    return g;\n}\n")
    found = _found(source, Span(4, 4))
    assert set(found) == {"width"} and found["width"].refusal is None
    assert _found(source, Span(9, 9))["g"].refusal == ("also a file-level name or macro in "
                                                       "this file")
