"""Load a dataset from any of its forms: `builtin`, a native directory, or A.S.E's JSON.

A directory may also hold spec-only mutants (`*.mutant.yaml`, `asebench.mutation.spec`), as
`builtin-mutated` does: each is built from the original instance it names.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from asebench.dataset.ase_import import import_ase_json
from asebench.dataset.errors import DatasetError, DatasetProblem
from asebench.dataset.loaded import LoadedDataset
from asebench.dataset.native import instance_dirs, load_instance

BUILTIN = "builtin"
BUILTIN_MUTATED = "builtin-mutated"
"""The re-validated mutants of the real built-in instances, stored as specs only."""


def builtin_path(name: str = BUILTIN) -> Path:
    """Where a built-in dataset lives inside the installed package (`builtin`, `builtin/real`…)."""
    root = Path(str(resources.files("asebench") / "data"))
    return root / name


def resolve_dataset_path(spec: str) -> Path:
    if any(spec == name or spec.startswith(name + "/") for name in (BUILTIN, BUILTIN_MUTATED)):
        return builtin_path(spec)
    return Path(spec)


def load_dataset(spec: str) -> LoadedDataset:
    """Every instance of a dataset, collecting problems instead of stopping at the first."""
    path = resolve_dataset_path(spec)
    if path.suffix == ".json":
        return import_ase_json(path)
    if not path.is_dir():
        raise DatasetError([DatasetProblem(spec, path, None, "no such dataset directory")])
    loaded = LoadedDataset()
    seen: dict[str, Path] = {}
    for directory in instance_dirs(path):
        try:
            instance = load_instance(directory, dataset_root=path)
        except DatasetError as exc:
            loaded.problems.extend(exc.problems)
            continue
        if instance.id in seen:
            loaded.problems.append(DatasetProblem(
                instance.id, directory / "instance.yaml", "id",
                f"duplicate id (also in {seen[instance.id]})",
            ))
            continue
        seen[instance.id] = directory
        loaded.instances.append(instance)
    _add_mutant_specs(path, loaded, seen)
    if not loaded.instances and not loaded.problems:
        loaded.problems.append(DatasetProblem(spec, path, None, "holds no instance.yaml"))
    return loaded


def _add_mutant_specs(path: Path, loaded: LoadedDataset, seen: dict[str, Path]) -> None:
    """The spec-only mutants under `path` (none: nothing is imported). The mutation package
    is imported only here, where a dataset holds such specs."""
    if not any(path.rglob("*.mutant.yaml")):
        return
    from asebench.mutation.spec import load_specs

    instances, problems = load_specs(path)
    loaded.problems.extend(problems)
    for instance in instances:
        if instance.id in seen:
            loaded.problems.append(DatasetProblem(
                instance.id, path, "id", f"duplicate id (also in {seen[instance.id]})"))
            continue
        seen[instance.id] = path
        loaded.instances.append(instance)
