"""Structural operators: reorder, if/else swap, early return; the regions travel with code."""

from __future__ import annotations

import random
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from asebench.dataset.schema import Language
from asebench.mutation.early_return import early_return
from asebench.mutation.edits import Span
from asebench.mutation.if_swap import swap_if_else
from asebench.mutation.outcome import FileState
from asebench.mutation.reorder import reorder

PYTHON = textwrap.dedent('''\
    def first(x):
        if not x:
            return "empty"
        else:
            return "full"


    def second(x):
        if x > 3:
            return "big"
        return "small"


    def third(x):
        return first(x) + second(x)
    ''')


def _results(source: str) -> list[object]:
    scope: dict[str, object] = {}
    exec(compile(source, "<mutant>", "exec"), scope)  # the fixture above, written here
    third = scope["third"]
    assert callable(third)
    return [third(value) for value in (0, 1, 5)]


def _lines(text: str, span: Span) -> list[str]:
    return text.split("\n")[span.start - 1:span.end]


def test_reorder_moves_functions_and_the_region_inside_one_moves_with_it() -> None:
    region = Span(9, 11)  # the body of second
    outcome = reorder(Language.PYTHON, FileState("m.py", PYTHON, [region]), random.Random(0))
    assert outcome.changes and outcome.text != PYTHON
    assert _lines(outcome.text, outcome.regions[0]) == _lines(PYTHON, region)
    assert _results(outcome.text) == _results(PYTHON)


def test_a_decorator_naming_a_neighbour_pins_the_definition() -> None:
    source = "def deco(f):\n    return f\n\n\n@deco\ndef user():\n    return 1\n"
    outcome = reorder(Language.PYTHON, FileState("m.py", source, []), random.Random(0))
    assert outcome.text == source and not outcome.changes


def test_a_region_cutting_a_definition_in_two_pins_it() -> None:
    region = Span(10, 15)  # from inside second into third
    outcome = reorder(Language.PYTHON, FileState("m.py", PYTHON, [region]), random.Random(0))
    assert outcome.text == PYTHON


def test_swap_if_else_negates_the_condition_and_swaps_the_branches() -> None:
    outcome = swap_if_else(Language.PYTHON, FileState("m.py", PYTHON, []), random.Random(0))
    assert "    if x:\n        return \"full\"\n    else:\n        return \"empty\"" in (
        outcome.text)
    assert _results(outcome.text) == _results(PYTHON)


def test_swap_if_else_leaves_an_if_inside_a_region_alone() -> None:
    outcome = swap_if_else(Language.PYTHON, FileState("m.py", PYTHON, [Span(2, 5)]),
                           random.Random(0))
    assert outcome.text == PYTHON
    assert outcome.refusals == ["if at line 2: touches a masked region"]


def test_early_return_becomes_else_and_back_keeping_behaviour() -> None:
    region = Span(15, 15)
    outcome = early_return(Language.PYTHON, FileState("m.py", PYTHON, [region]),
                           random.Random(1))
    assert outcome.changes
    assert _results(outcome.text) == _results(PYTHON)
    assert _lines(outcome.text, outcome.regions[0]) == _lines(PYTHON, region)
    assert "    else:\n        return \"small\"" in outcome.text or (
        "            return \"empty\"\n        return \"full\"" in outcome.text
        or "return \"empty\"\n    return \"full\"" in outcome.text)


JAVASCRIPT = textwrap.dedent('''\
    function label(x) {
      if (!x) {
        return 'empty';
      } else {
        return 'full';
      }
    }

    function size(x) {
      return x.length > 3 ? 'big' : 'small';
    }

    module.exports = { label, size };
    ''')


def test_javascript_swap_and_reorder_keep_what_node_computes(tmp_path: Path) -> None:
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    swapped = swap_if_else(Language.JAVASCRIPT, FileState("m.js", JAVASCRIPT, []),
                           random.Random(0))
    assert "if (x) {\n    return 'full';\n  } else {\n    return 'empty';" in swapped.text
    moved = reorder(Language.JAVASCRIPT, FileState("m.js", swapped.text, []), random.Random(0))
    assert moved.text.index("function size") < moved.text.index("function label")

    def run(source: str) -> str:
        (tmp_path / "m.js").write_text(source)
        script = "const m = require('./m.js'); console.log(['', 'abcd', 'ab'].map(" \
                 "v => m.label(v) + m.size(v)).join())"
        return subprocess.run(["node", "-e", script], cwd=tmp_path, capture_output=True,
                              text=True, check=True, timeout=30).stdout

    assert run(moved.text) == run(JAVASCRIPT)
