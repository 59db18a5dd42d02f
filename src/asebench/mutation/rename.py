"""The semantic operators: consistent renames of locals, module-private names and private
attributes, chosen from the safe candidates with a seeded generator.

Each renamed name gets one fresh name (`fresh.FreshNames`) used at every occurrence the
candidate lists; the line structure never changes, so the masked regions stay where they are.
A candidate with a refusal is never renamed and is reported with its reason.
"""

from __future__ import annotations

import random

from asebench.dataset.schema import Language
from asebench.mutation.brace_names import SUPPORTED as BRACE_LOCALS
from asebench.mutation.brace_names import BraceLocals
from asebench.mutation.c_names import CLocals
from asebench.mutation.c_statics import CStatics
from asebench.mutation.candidates import Candidate, Kind, Surroundings
from asebench.mutation.edits import Edit, apply_edits
from asebench.mutation.fresh import FreshNames
from asebench.mutation.javascript_names import JavascriptNames
from asebench.mutation.outcome import FileState, OperatorOutcome
from asebench.mutation.php_members import PhpMembers
from asebench.mutation.python_names import PythonNames
from asebench.mutation.syntax import parsed, words

RENAME_SHARE = 0.8
"""Each safe candidate is renamed with this probability (at least one when any is safe)."""


def candidates(language: Language, state: FileState, around: Surroundings,
               kind: Kind | None = None) -> list[Candidate]:
    """Every rename candidate of `state` (refused ones carry their reason); imports (Python)
    only when `kind` is None or "import"; C file-scope statics (`c_statics`) only, and
    instead of locals, when `kind` is "private". Raises ValueError for a language without
    rename support."""
    tree = parsed(language, state.text, state.path)
    if language is Language.PYTHON:
        names = PythonNames(tree, around)
        if kind == "import":
            return names.imports(state.path)
        return names.candidates() + (names.imports(state.path) if kind is None else [])
    if language is Language.JAVASCRIPT:
        return JavascriptNames(tree, around).candidates()
    if language is Language.PHP:
        return [*BraceLocals(language, tree, around).candidates(),
                *PhpMembers(tree, around).candidates()]
    if language in BRACE_LOCALS:
        return BraceLocals(language, tree, around).candidates()
    if language is Language.C and kind == "private":  # file-scope statics: rename-statics
        return CStatics(tree, around).candidates()
    if language is Language.C:
        return CLocals(tree, around).candidates()
    raise ValueError(f"no rename operators for {language}")


def rename(kind: Kind, language: Language, state: FileState, rng: random.Random,
           around: Surroundings) -> OperatorOutcome:
    """Rename a seeded choice among the safe `kind` candidates of `state`."""
    found = [c for c in candidates(language, state, around, kind) if c.kind == kind]
    outcome = OperatorOutcome(state.text, list(state.regions))
    outcome.refusals = [f"{c.name} ({c.scope}): {c.refusal}" for c in found if c.refusal]
    safe = [c for c in found if not c.refusal and c.occurrences]
    chosen = [c for c in safe if rng.random() < RENAME_SHARE]
    if safe and not chosen:
        chosen = [rng.choice(safe)]
    if not chosen:
        return outcome
    present = words(state.text)
    earlier = around.names.table(kind)
    fresh = FreshNames(rng, present | set(earlier.values()))
    table = outcome.names.table(kind)
    edits: list[Edit] = []
    for candidate in chosen:
        new = table.get(candidate.name) or earlier.get(candidate.name)
        if new is not None and new in present:
            outcome.refusals.append(f"{candidate.name} ({candidate.scope}): renamed to {new} "
                                    "in another file, a name this file already uses")
            continue
        new = new or fresh.take(candidate.name)
        table[candidate.name] = new
        edits.extend(Edit(start, end, new) for start, end in candidate.occurrences)
        edits.extend(Edit(start, end, f"{candidate.name} as {new}")
                     for start, end in candidate.aliased)
        outcome.changes.append(f"{candidate.name} -> {new} ({candidate.scope}, "
                               f"{len(candidate.occurrences)} occurrence(s))")
    outcome.text = apply_edits(state.text, sorted(set(edits), key=lambda e: e.start))
    return outcome
