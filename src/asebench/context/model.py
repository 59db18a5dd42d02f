"""What a context strategy receives (`ContextRequest`) and returns (`Context` of `Snippet`s)."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from pydantic import BaseModel, ConfigDict, Field, field_validator

from asebench.context.chunking import Chunk
from asebench.context.markers import DEFAULT_MARKER_PATTERN
from asebench.dataset.schema import Language


class ContextRequest(BaseModel):
    """One sample's retrieval input.

    `tree` is the project at the vulnerable version (read-only; it still holds the original text of
    the masked files, so strategies must never read those paths from it). `masked_files` maps each
    masked file's relative path to its text with every hidden region replaced by a marker line
    (a line matching `marker_pattern`). `tree_digest` names the tree's content, for caches.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    tree: Path
    masked_files: dict[str, str] = Field(min_length=1)
    language: Language
    budget_tokens: int = Field(ge=0)
    tree_digest: str = Field(min_length=1)
    marker_pattern: str = DEFAULT_MARKER_PATTERN

    @field_validator("masked_files")
    @classmethod
    def _relative_paths(cls, value: dict[str, str]) -> dict[str, str]:
        normalised: dict[str, str] = {}
        for path, text in value.items():
            pure = PurePosixPath(path.replace("\\", "/"))
            if pure.is_absolute() or ".." in pure.parts or not path:
                raise ValueError(f"masked file must be a relative path in the tree, got {path!r}")
            normalised[pure.as_posix()] = text
        return normalised


class Snippet(BaseModel):
    """Lines `start_line`..`end_line` (1-based, inclusive) of `path`, ranked by `score`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str
    start_line: int = Field(ge=1)
    end_line: int = Field(ge=1)
    text: str
    score: float

    @classmethod
    def of_chunk(cls, chunk: Chunk, score: float) -> Snippet:
        """A ranked index chunk as a snippet."""
        return cls(path=chunk.path, start_line=chunk.start_line, end_line=chunk.end_line,
                   text=chunk.text, score=score)

    def render(self) -> str:
        """A header naming the file and line span, then the code."""
        return f"### {self.path} (lines {self.start_line}-{self.end_line})\n{self.text.rstrip()}\n"


class Context(BaseModel):
    """The snippets a strategy picked, best first; `tokens` is the estimate of `render()`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    snippets: list[Snippet] = Field(default_factory=list)
    tokens: int = 0

    def render(self) -> str:
        """Every snippet's block, separated by a blank line; empty when there are none."""
        return render_snippets(self.snippets)


def render_snippets(snippets: list[Snippet]) -> str:
    """The text a list of snippets renders to (shared by `Context` and the budget filler)."""
    return "\n".join(snippet.render() for snippet in snippets)
