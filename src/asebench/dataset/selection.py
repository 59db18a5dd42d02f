"""Choosing instances of a loaded dataset by id (`--instances`, Inspect's `-T instances=…`)."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from asebench.dataset.errors import DatasetProblem
from asebench.dataset.loaded import LoadedDataset


def wanted_ids(instances: str | Sequence[str] | None) -> list[str]:
    """The ids asked for: a comma-separated string (the command line) or a list (Inspect's
    `-T instances=a,b` arrives as one); empty when none was named."""
    if instances is None:
        return []
    parts = instances.split(",") if isinstance(instances, str) else [
        piece for item in instances for piece in str(item).split(",")]
    return list(dict.fromkeys(part.strip() for part in parts if part.strip()))


def select(loaded: LoadedDataset, instances: str | Sequence[str] | None, dataset: str
           ) -> LoadedDataset:
    """The instances named (all when none is), and the problems that concern them: those of
    the named instances that failed to load, and one per unknown id, with close matches."""
    wanted = wanted_ids(instances)
    if not wanted:
        return loaded
    known = [i.id for i in loaded.instances] + [p.instance for p in loaded.problems]
    unknown = [
        DatasetProblem(name, None, "instances", _unknown(name, known, dataset))
        for name in wanted if name not in known
    ]
    chosen = [i for i in loaded.instances if i.id in wanted]
    problems = [p for p in loaded.problems if p.instance in wanted]
    return LoadedDataset(instances=chosen, problems=problems + unknown)


def _unknown(name: str, known: list[str], dataset: str) -> str:
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.8)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return f"no instance {name!r} in {dataset}{hint}"
