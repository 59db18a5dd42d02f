"""Spec-only mutants (`builtin-mutated`): one small `<id>.mutant.yaml` per mutant, no copied files.

A spec names the original instance (a dataset, `builtin…` or a path relative to the spec's
folder, and the instance's folder inside it), the mutation (seed, operators), the renames it
makes (so that the gold, variants and rules can be renamed without fetching the source) and
the sha256 of every mutated file as it was judged (checked when the tree is built), and
the re-validation record (kept or discarded with the reason, when, the validate summary,
distances, the memorisation check). A discarded mutant's spec stays as the record of why;
only kept (or never validated) specs load as instances.

Loading builds the mutant instance from the original instance folder: PoC, test and harness
copied unchanged into a content-addressed cache folder, rules and variants renamed there,
written golds renamed in memory, a relative local source made absolute. The mutated source
tree itself is built when the instance is opened (`tree.mutated_tree`), as for any mutant;
golds derived from the fix are derived on the upstream tree and renamed then.

```yaml
id: bleach-CVE-2021-23980-m1
original: {dataset: builtin/real, instance: bleach-CVE-2021-23980, id: bleach-CVE-2021-23980}
mutation: {seed: 1234, operators: [rename-locals, swap-if-else]}
names: {plain: {attrs: attributes_}, attribute: {}}
sha256: {bleach/sanitizer.py: 3f0c…}
revalidation: {kept: true, date: '2026-11-30', verdicts: '...', distances: {...}}
```
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from asebench.cache import cache_dir
from asebench.code.languages import language_of_path
from asebench.dataset.bounded_yaml import YamlLimitError, load_bounded
from asebench.dataset.digest import instance_digest
from asebench.dataset.errors import DatasetError, DatasetProblem
from asebench.dataset.git_url import is_network_url
from asebench.dataset.native import INSTANCE_FILE, load_instance, problems_from_validation
from asebench.dataset.schema import GitSource, Instance, LocalSource, Mutation
from asebench.dataset.variants import VARIANTS_DIR
from asebench.mutation.name_map import NameMap
from asebench.mutation.rules import rename_rule_file

SPEC_SUFFIX = ".mutant.yaml"
NAMES_KEY = "mutation_names"
"""The metadata key of a spec mutant's recorded renames, checked when its tree is built."""
SHA256_KEY = "mutation_sha256"
"""The metadata key of a spec mutant's recorded file digests, checked when its tree is built."""
_DATA = frozenset({"gold", VARIANTS_DIR, "rules", INSTANCE_FILE, "mutation.json"})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OriginalRef(_Strict):
    """The instance a mutant derives from: `dataset` (`builtin`, `builtin/real`, or a path
    relative to the spec's folder), its folder inside it, and its id (checked on load)."""

    dataset: str = Field(min_length=1)
    instance: str = Field(min_length=1)
    id: str = Field(min_length=1)


class Names(_Strict):
    plain: dict[str, str] = Field(default_factory=dict)
    attribute: dict[str, str] = Field(default_factory=dict)
    imported: dict[str, str] = Field(default_factory=dict)
    """Aliased imports (`rename-imports`); absent from the file when empty."""

    def name_map(self) -> NameMap:
        return NameMap(dict(self.plain), dict(self.attribute), dict(self.imported))


class Revalidation(_Strict):
    """How `asebench mutate` judged the mutant: kept, or discarded with the reason."""

    kept: bool
    date: str
    """UTC date and time of the validation (ISO 8601)."""
    reason: str = ""
    verdicts: str = ""
    """One-line summary of the `validate` verdicts (rules, PoC, test, variants)."""
    applied: list[str] = Field(default_factory=list)
    """The operators that changed something."""
    distances: dict[str, dict[str, float]] = Field(default_factory=dict)
    """Per masked file and per region (`region N`): renamed_share, ngram_overlap (0..1)."""
    upstream_vulnerable_fails: bool | None = None
    upstream_fixed_fails: bool | None = None


class MutantSpec(_Strict):
    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9._+-]+$")
    original: OriginalRef
    mutation: Mutation
    names: Names = Field(default_factory=Names)
    sha256: dict[str, str] = Field(default_factory=dict)
    """Per mutated file (path in the source tree): the sha256 of its text as re-validated.
    Building the tree checks it, so a kept mutant is always the bytes that were judged: an
    operator change that alters them makes the spec a problem (empty: not pinned)."""
    revalidation: Revalidation | None = None

    @property
    def loads(self) -> bool:
        """Whether the spec is an instance: kept, or never validated (`--no-validate`)."""
        return self.revalidation is None or self.revalidation.kept


def spec_files(root: Path) -> list[Path]:
    """Every `*.mutant.yaml` under `root` (or `root` itself), sorted."""
    if root.is_file():
        return [root] if root.name.endswith(SPEC_SUFFIX) else []
    return sorted(root.rglob(f"*{SPEC_SUFFIX}"))


def read_spec(path: Path) -> MutantSpec:
    """Parse one spec file; `DatasetError` naming the file and field when it is wrong."""
    name = path.name.removesuffix(SPEC_SUFFIX)
    try:
        data = load_bounded(path)
    except (YamlLimitError, yaml.YAMLError) as exc:
        raise DatasetError([DatasetProblem(name, path, None, f"not valid YAML: {exc}")]) from exc
    if not isinstance(data, dict):
        raise DatasetError([DatasetProblem(name, path, None, "must be a YAML mapping")])
    try:
        return MutantSpec.model_validate(data)
    except ValidationError as exc:
        raise DatasetError(problems_from_validation(str(data.get("id") or name), path,
                                                    exc)) from exc


def write_spec(spec: MutantSpec, folder: Path) -> Path:
    """Write `spec` as `folder/<id>.mutant.yaml`; returns the path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{spec.id}{SPEC_SUFFIX}"
    data = spec.model_dump(mode="json", exclude_none=True)
    if not data["names"]["imported"]:  # the form of the specs written before it existed
        del data["names"]["imported"]
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100),
                    encoding="utf-8")
    return path


def original_ref(original: Instance, dataset: str, folder: Path) -> OriginalRef:
    """How a spec written into `folder` names `original`, an instance of the dataset given as
    `dataset` on the command line (kept as is when built in, else relative to `folder`)."""
    from asebench.dataset.load import BUILTIN, resolve_dataset_path

    path = resolve_dataset_path(dataset).resolve()
    if original.root is None:
        raise ValueError(f"{original.id}: no instance folder")
    named = dataset if dataset == BUILTIN or dataset.startswith(BUILTIN + "/") else \
        os.path.relpath(path, folder.resolve())
    where = original.root.resolve().relative_to(path).as_posix() or "."
    return OriginalRef(dataset=named, instance=where, id=original.id)


def original_dataset(spec: MutantSpec, spec_path: Path) -> Path:
    """The folder of the original's dataset (`builtin…` in the package, else relative to the
    spec's folder)."""
    from asebench.dataset.load import BUILTIN, builtin_path

    named = spec.original.dataset
    if named == BUILTIN or named.startswith(BUILTIN + "/"):
        return builtin_path(named)
    return (spec_path.parent / named).resolve()


def _absolute_source(original: Instance) -> dict[str, Any]:
    """A relative local source (or local git repository) made absolute, so that the mutant
    fetches the same tree from its cache folder; other sources unchanged."""
    source = original.source
    root = original.root
    if root is None:
        return {}
    if isinstance(source, LocalSource) and not Path(source.path).is_absolute():
        return {"source": source.model_copy(update={"path": str((root / source.path).resolve())})}
    if isinstance(source, GitSource) and not is_network_url(source.url) and not (
            Path(source.url).is_absolute() or "://" in source.url):
        return {"source": source.model_copy(update={"url": str((root / source.url).resolve())})}
    return {}


# bumped when what `_materialise` writes changes (2: gold patches copied), so an older cache
# folder is never reused
_FOLDER_FORMAT = "2"


def _materialise(spec: MutantSpec, original: Instance, names: NameMap) -> Path:
    """The cache folder of the mutant: the original folder's scripts and gold patches as they
    are, rules and variants renamed. Content-addressed (original folder + spec), built once,
    atomically."""
    root = original.root
    assert root is not None  # loaded from a folder
    key = hashlib.sha256((_FOLDER_FORMAT + "\n" + instance_digest(original) + "\n"
                          + spec.model_dump_json(exclude={"revalidation"})).encode()).hexdigest()
    folder = cache_dir("mutant-instances") / key[:40]
    if folder.is_dir():
        return folder
    staging = folder.with_name(f"{folder.name}.{os.getpid()}.tmp")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for entry in sorted(root.iterdir()):  # PoC, test, harness, package files
        if entry.name in _DATA or entry.name.startswith(".") or entry.name == "__pycache__":
            continue
        if entry.is_dir():
            shutil.copytree(entry, staging / entry.name, symlinks=True,
                            ignore=shutil.ignore_patterns("__pycache__"))
        else:  # copies, not links: the cache must not change when the original is edited
            shutil.copy2(entry, staging / entry.name)
    for location in original.locations:  # applied to the upstream gold before renaming
        if location.gold_patch is not None:
            target = staging / location.gold_patch
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root / location.gold_patch, target)
    for rule in original.rules:
        target = staging / Path(rule).relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(rename_rule_file(Path(rule).read_text("utf-8"), names),
                          encoding="utf-8")
    variants = root / VARIANTS_DIR
    for variant in sorted(variants.glob("*.md")) if variants.is_dir() else []:
        target = staging / VARIANTS_DIR / variant.name
        target.parent.mkdir(exist_ok=True)
        target.write_text(names.apply_markdown(variant.read_text("utf-8"), original.language),
                          encoding="utf-8")
    try:
        staging.rename(folder)
    except OSError:  # built meanwhile by another process
        shutil.rmtree(staging, ignore_errors=True)
    return folder


def mutant_instance(spec: MutantSpec, spec_path: Path) -> Instance:
    """The mutant instance of `spec` (read from `spec_path`), built from its original.
    Raises `DatasetError` naming the spec file when the original cannot be loaded or is not
    the instance the spec names."""
    dataset = original_dataset(spec, spec_path)
    folder = dataset / spec.original.instance
    if not (folder / INSTANCE_FILE).is_file():
        raise DatasetError([DatasetProblem(spec.id, spec_path, "original.instance",
                                           f"no instance folder {folder}")])
    original = load_instance(folder, dataset_root=dataset)
    if original.id != spec.original.id:
        raise DatasetError([DatasetProblem(
            spec.id, spec_path, "original.id",
            f"{folder} holds instance {original.id}, not {spec.original.id}")])
    names = spec.names.name_map()
    target = _materialise(spec, original, names)
    root = original.root
    assert root is not None
    locations = [loc if loc.gold is None else loc.model_copy(update={"gold": names.apply_code(
        loc.gold, language_of_path(loc.file, original.language))})
        for loc in original.locations]
    rules = [target / Path(rule).relative_to(root) for rule in original.rules]
    metadata = {**original.metadata, "mutated_from": original.id,
                NAMES_KEY: spec.names.model_dump(mode="json"),
                **({SHA256_KEY: dict(spec.sha256)} if spec.sha256 else {})}
    return original.model_copy(update={
        "id": spec.id, "mutation": spec.mutation, "locations": locations, "rules": rules,
        "description": names.apply_prose(original.description, original.language),
        "metadata": metadata, "root": target, **_absolute_source(original)})


def load_specs(root: Path) -> tuple[list[Instance], list[DatasetProblem]]:
    """The mutant instances of every loadable spec under `root`, and the problems of the
    others (discarded specs are records, neither instances nor problems)."""
    instances, problems = [], []
    for path in spec_files(root):
        try:
            spec = read_spec(path)
            if spec.loads:
                instances.append(mutant_instance(spec, path))
        except DatasetError as exc:
            problems.extend(exc.problems)
    return instances, problems
