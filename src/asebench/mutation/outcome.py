"""What one operator did to one file: the new text, where the regions went, what it changed
and what it refused (with the reason)."""

from __future__ import annotations

from dataclasses import dataclass, field

from asebench.mutation.edits import Span
from asebench.mutation.name_map import NameMap


@dataclass
class FileState:
    """One file as the operators see it: its project path, language, text and masked regions
    (in the current text's lines, in instance-location order)."""

    path: str
    text: str
    regions: list[Span]


@dataclass
class OperatorOutcome:
    """`text` and `regions` after the operator; `changes`: one line per change made;
    `refusals`: one line per change it would have made but judged unsafe."""

    text: str
    regions: list[Span]
    changes: list[str] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)
    names: NameMap = field(default_factory=NameMap)
