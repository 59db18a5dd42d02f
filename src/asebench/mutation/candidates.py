"""What a rename operator may rename, where, and why it refuses the unsafe ones."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from asebench.mutation.edits import Span
from asebench.mutation.name_map import NameMap

Kind = Literal["local", "private", "attribute", "import"]
"""`local`: a local variable or parameter of a function around a masked region; `private`: a
module-private name (`_helper` in Python, anything not exported in JavaScript); `attribute`:
a private attribute or method (`self._cache`, `this._cache`, a PHP `private` member); `import`:
a name a module-level import binds (Python `import x`, `from m import x`), aliased."""


@dataclass(frozen=True)
class Candidate:
    """One name that could be renamed: every occurrence (byte spans in the file) that a
    consistent rename must change, or the reason it must not be renamed."""

    name: str
    kind: Kind
    scope: str
    occurrences: tuple[tuple[int, int], ...]
    refusal: str | None = None
    aliased: tuple[tuple[int, int], ...] = ()
    """Spans of the name where it is imported: they become `name as <new>`."""

    def refused(self, reason: str) -> Candidate:
        return Candidate(self.name, self.kind, self.scope, self.occurrences,
                         self.refusal or reason, self.aliased)


@dataclass
class Surroundings:
    """What lies outside the file being mutated: the masked regions (lines of this file), and
    the text of every other project file plus the instance's PoC, test and harness (which
    call the project by name), searched for the names a rename would change.

    `others` maps a label (a project path, `poc.py`) to the text; `names` holds the renames
    this mutant already made in other files, reused so that one old name has one new name.
    """

    regions: list[Span]
    others: dict[str, str] = field(default_factory=dict)
    names: NameMap = field(default_factory=NameMap)
    _index: dict[str, set[str]] | None = None

    def _words(self) -> dict[str, set[str]]:
        if self._index is None:
            self._index = {label: set(re.findall(r"[\w$]+", text))
                           for label, text in self.others.items()}
        return self._index

    def mentioned_in(self, name: str) -> str | None:
        """The first other file (sorted) that writes `name` as a word, or None."""
        for label in sorted(self._words()):
            if name in self._words()[label]:
                return label
        return None

    def keyword_use(self, name: str) -> str | None:
        """The first other file passing `name` as a keyword argument (`f(name=…)`), or None."""
        pattern = re.compile(r"[(,]\s*" + re.escape(name) + r"\s*=(?!=)")
        for label in sorted(self._words()):
            if name in self._words()[label] and pattern.search(self.others[label]):
                return label
        return None

    def in_region(self, first: int, last: int) -> bool:
        return any(span.overlaps_lines(first, last) for span in self.regions)

