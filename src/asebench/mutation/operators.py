"""The operator table: each operator's name, kind, languages, and the function that runs it.

Every operator is `(language, file, rng, surroundings) -> OperatorOutcome`, deterministic in
its `rng`. `semantic` operators rename (line structure kept); `structural` ones rewrite
control flow, order or expressions (regions carried along, never edited).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Literal

from asebench.dataset.schema import Language
from asebench.mutation.candidates import Surroundings
from asebench.mutation.early_return import early_return
from asebench.mutation.expressions import equivalent_expressions
from asebench.mutation.if_swap import swap_if_else
from asebench.mutation.loops import LOOP_LANGUAGES, for_to_while
from asebench.mutation.outcome import FileState, OperatorOutcome
from asebench.mutation.rename import rename
from asebench.mutation.reorder import reorder

OperatorFunction = Callable[[Language, FileState, random.Random, Surroundings], OperatorOutcome]


@dataclass(frozen=True)
class Operator:
    name: str
    kind: Literal["semantic", "structural"]
    languages: frozenset[Language]
    run: OperatorFunction
    summary: str


def _structural(function: Callable[[Language, FileState, random.Random], OperatorOutcome]
                ) -> OperatorFunction:
    def run(language: Language, state: FileState, rng: random.Random,
            around: Surroundings) -> OperatorOutcome:
        return function(language, state, rng)
    return run


_BOTH = frozenset({Language.PYTHON, Language.JAVASCRIPT})
_REORDERED = frozenset({Language.PYTHON, Language.JAVASCRIPT, Language.JAVA, Language.GO,
                        Language.PHP})
_SWAPPED = _REORDERED | {Language.C}
OPERATORS: dict[str, Operator] = {op.name: op for op in (
    Operator("rename-locals", "semantic", _SWAPPED, partial(rename, "local"),
             "locals and parameters of the functions around the masked regions"),
    Operator("rename-private", "semantic", _BOTH, partial(rename, "private"),
             "module-private names (Python `_helper`, JavaScript names nothing exports)"),
    Operator("rename-attributes", "semantic", _BOTH | {Language.PHP},
             partial(rename, "attribute"),
             "private attributes and methods (`self._x`, `this._x`, PHP `private`)"),
    Operator("rename-imports", "semantic", frozenset({Language.PYTHON}),
             partial(rename, "import"),
             "module-level imports aliased (`import x as y`, `from m import x as y`)"),
    Operator("rename-statics", "semantic", frozenset({Language.C}),
             partial(rename, "private"),
             "C file-scope `static` functions and variables (internal linkage)"),
    Operator("reorder-definitions", "structural", _REORDERED, _structural(reorder),
             "independent top-level functions and methods in another order"),
    Operator("swap-if-else", "structural", _SWAPPED, _structural(swap_if_else),
             "`if not c: A else: B` <-> `if c: B else: A`"),
    Operator("early-return", "structural", _SWAPPED,
             _structural(early_return), "early exit <-> nested else"),
    Operator("for-while", "structural", LOOP_LANGUAGES, _structural(for_to_while),
             "counting `for` loop <-> the equivalent `while` loop"),
    Operator("equivalent-expressions", "structural", _SWAPPED,
             _structural(equivalent_expressions),
             "`a < b` <-> `b > a`, `!(a == b)` <-> `a != b`, string building forms"),
)}
DEFAULT_OPERATORS = tuple(OPERATORS)


def operators_for(language: Language) -> list[str]:
    """The names of the operators that support `language`, in table order."""
    return [op.name for op in OPERATORS.values() if language in op.languages]
