"""Errors that point at the instance, file and field that are wrong."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DatasetProblem:
    """One problem found in a dataset: which instance, which file, which field, what is wrong."""

    instance: str
    file: Path | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.instance
        if self.file is not None:
            where += f" ({self.file})"
        if self.field:
            where += f" [{self.field}]"
        return f"{where}: {self.message}"


class DatasetError(Exception):
    """A dataset could not be loaded; carries every problem found, not just the first."""

    def __init__(self, problems: list[DatasetProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
