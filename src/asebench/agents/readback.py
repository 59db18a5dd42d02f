"""An agent's answer, read back from the files it edited.

An agent does not answer in text: it edits the masked file(s) in its workspace. For each
region, the lines that now stand between the marker's unchanged neighbours (the nearest lines
before and after the marker that the agent left as they were, found by a line diff of the
masked file against the edited one) are the region's code. A marker still in place means the
agent never wrote that region: an answer failure with that reason, as is a deleted file or a
marker replaced by nothing.

The candidate the judge sees is the agent's edited file itself (`AgentTask.fit`), so changes
the agent made elsewhere in that file (an import, a helper) are judged with it; the region's
lines are where semgrep findings count against the answer.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from asebench.code.answer import FittedAnswer
from asebench.code.regions import Insertion, MaskedFile, Span, SpanKey, marker_index
from asebench.code.task import MaskedTask


@dataclass(frozen=True)
class ReadBack:
    """The edited masked files as candidates (`insertions`, the region lines in `spans`), each
    region's code (`regions`, by region number), or why the answer cannot be read (`failure`)."""

    insertions: dict[str, Insertion] = field(default_factory=dict)
    regions: dict[int, str] = field(default_factory=dict)
    failure: str | None = None

    def answer_text(self) -> str:
        """The regions' code as one text (what the log shows as the agent's answer)."""
        return "\n\n".join(f"# region {index}\n{code}"
                           for index, code in sorted(self.regions.items()))


def _region_lines(masked: MaskedFile, edited: list[str], index: int
                  ) -> tuple[int, int] | str:
    """`(start, end)`: the 0-based half-open range of `edited` that holds region `index`'s
    code, or why there is none."""
    lines = masked.text.split("\n")
    where = next(i for i, line in enumerate(lines) if marker_index(line) == index)
    matcher = difflib.SequenceMatcher(None, lines, edited, autojunk=False)
    start, end = 0, len(edited)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            continue
        if i1 <= where < i2:
            return (f"the agent never wrote region {index}: its marker line is still in "
                    f"{masked.path}")
        if i2 <= where:
            start = j2  # the last unchanged block before the marker
        elif i1 > where:
            end = j1  # the first unchanged block after it
            break
    if end <= start:
        return (f"the agent removed the marker of region {index} from {masked.path} and wrote "
                "nothing in its place")
    return start, end


def read_back(task: MaskedTask, edited: dict[str, str | None]) -> ReadBack:
    """Read each region of `task` from `edited` (masked file path -> its text after the agent,
    None when the agent deleted it)."""
    insertions: dict[str, Insertion] = {}
    regions: dict[int, str] = {}
    for masked in task.files:
        text = edited.get(masked.path)
        if text is None:
            return ReadBack(failure=f"the agent deleted {masked.path}, the file to complete")
        lines = text.split("\n")
        spans: dict[SpanKey, Span] = {}
        for index in sorted(masked.markers):
            found = _region_lines(masked, lines, index)
            if isinstance(found, str):
                return ReadBack(failure=found)
            start, end = found
            spans[index] = Span(start + 1, end)
            regions[index] = "\n".join(lines[start:end])
        insertions[masked.path] = Insertion(text=text, spans=spans)
    return ReadBack(insertions, regions)


@dataclass(frozen=True)
class AgentTask(MaskedTask):
    """A masked task whose answer is an agent's edited files: `fit` returns them as they are
    (the text answer is ignored), so the judge scores exactly what the agent left."""

    read: ReadBack = field(default_factory=ReadBack)

    def fit(self, answer: str) -> FittedAnswer:
        if self.read.failure is not None:
            return FittedAnswer({}, self.read.failure)
        return FittedAnswer(dict(self.read.insertions))
