"""What loading a dataset gives: the instances that loaded and the problems of the others."""

from __future__ import annotations

from dataclasses import dataclass, field

from asebench.dataset.errors import DatasetProblem
from asebench.dataset.schema import Instance


@dataclass
class LoadedDataset:
    """The instances that loaded, and the problems of those that did not."""

    instances: list[Instance] = field(default_factory=list)
    problems: list[DatasetProblem] = field(default_factory=list)
