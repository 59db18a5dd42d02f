"""Apply a mutation (seed, operators) to the masked files of an instance, in memory.

The result is a function of the files, their regions, the seed, the operator list and the
text the rename operators check against (other project files, the PoC and test): the same
inputs give the same bytes. Each operator runs in list order on every masked file, with its
own generator seeded from (seed, file, operator), so adding a file or an operator never
changes what another one does.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from asebench.code.languages import language_of_path
from asebench.dataset.schema import Language
from asebench.mutation.candidates import Surroundings
from asebench.mutation.edits import Span
from asebench.mutation.name_map import NameMap
from asebench.mutation.operators import OPERATORS
from asebench.mutation.outcome import FileState

MUTATION_VERSION = 3
"""Bumped whenever an operator changes what it produces (part of every mutated tree's key)."""


class MutationError(ValueError):
    """A mutation spec that cannot be applied (an unknown operator, a file it cannot parse)."""


@dataclass
class MutationResult:
    """Mutated file texts, each region's new span (keyed by location index, 0-based), the
    renames, and per operator the changes made and the refusals (one line each)."""

    texts: dict[str, str] = field(default_factory=dict)
    spans: dict[int, Span] = field(default_factory=dict)
    names: NameMap = field(default_factory=NameMap)
    changes: dict[str, list[str]] = field(default_factory=dict)
    refusals: dict[str, list[str]] = field(default_factory=dict)

    def applied(self) -> list[str]:
        """The operators that changed something, in table order."""
        return [name for name in OPERATORS if self.changes.get(name)]

    def as_record(self) -> dict[str, Any]:
        return {"texts": self.texts,
                "spans": {str(i): [s.start, s.end] for i, s in sorted(self.spans.items())},
                "names": self.names.as_dict(), "changes": self.changes,
                "refusals": self.refusals}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> MutationResult:
        names = NameMap.from_dict(record["names"])
        return cls(dict(record["texts"]),
                   {int(i): Span(*pair) for i, pair in record["spans"].items()},
                   names, dict(record["changes"]), dict(record["refusals"]))


def check_operators(operators: list[str]) -> None:
    """Raise MutationError naming the first operator that is not in the table."""
    for name in operators:
        if name not in OPERATORS:
            raise MutationError(f"unknown mutation operator {name!r} (known: "
                                f"{', '.join(OPERATORS)})")


def mutate_sources(
    files: dict[str, str],
    regions: dict[int, tuple[str, Span]],
    *,
    language: Language,
    seed: int,
    operators: list[str],
    others: dict[str, str],
) -> MutationResult:
    """Mutate `files` (project path -> text). `regions`: location index -> (file, span) in the
    upstream text; `others`: what renames must keep working with (label -> text). Raises
    MutationError for an unknown operator."""
    check_operators(operators)
    result = MutationResult()
    for path in sorted(files):
        file_language = language_of_path(path, language)
        indices = sorted(i for i, (file, _) in regions.items() if file == path)
        state = FileState(path, files[path], [regions[i][1] for i in indices])
        around = Surroundings(state.regions, others, result.names)
        for name in operators:
            operator = OPERATORS[name]
            if file_language not in operator.languages:
                result.refusals.setdefault(name, []).append(
                    f"{path}: no {name} operator for {file_language}")
                continue
            rng = random.Random(f"{seed}/{path}/{name}")
            around.regions = state.regions
            outcome = operator.run(file_language, state, rng, around)
            if operator.kind == "structural" and _region_texts(outcome.text, outcome.regions
                                                               ) != _region_texts(state.text,
                                                                                  state.regions):
                result.refusals.setdefault(name, []).append(
                    f"{path}: dropped: the rewrite moved or changed a masked region's lines")
                continue
            state = FileState(path, outcome.text, outcome.regions)
            result.names.merge(outcome.names)
            result.changes.setdefault(name, []).extend(f"{path}: {c}" for c in outcome.changes)
            result.refusals.setdefault(name, []).extend(
                f"{path}: {r}" for r in outcome.refusals)
        result.texts[path] = state.text
        result.spans.update(zip(indices, state.regions, strict=True))
    return result


def _region_texts(text: str, regions: list[Span]) -> list[list[str]]:
    """The lines of each region: what a structural operator carries along unchanged."""
    lines = text.split("\n")
    return [lines[span.start - 1:span.end] for span in regions]
