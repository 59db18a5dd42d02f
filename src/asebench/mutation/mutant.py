"""Write one mutant instance in the native format: the upstream source plus a mutation spec.

The folder holds `instance.yaml` (the original record with a new id, `mutation: {seed,
operators}` and `metadata.mutated_from`), the gold fixes, variants and rules with the mutant's
names (`NameMap`), the PoC/test/harness copied unchanged (renames of names they use were
refused), and `mutation.json` (renames, changes, refusals, distances; beside the record, never
shown to a model). The mutant's code itself is never written: `preflight` rebuilds it from the
upstream tree and the spec, byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from asebench.code.languages import info, language_of_path
from asebench.dataset.git_url import is_network_url
from asebench.dataset.native import INSTANCE_FILE, load_instance
from asebench.dataset.schema import GitSource, Instance, LocalSource, Mutation
from asebench.dataset.variants import VARIANTS_DIR
from asebench.mutation.distance import Distance, distance
from asebench.mutation.engine import MutationResult
from asebench.mutation.rules import rename_rule_file
from asebench.mutation.syntax import words
from asebench.mutation.tree import MUTATION_RECORD, compute_mutation, instance_scripts

_DATA = frozenset({"gold", VARIANTS_DIR, "rules", INSTANCE_FILE, MUTATION_RECORD})


class MutantSkipped(Exception):
    """This mutant cannot be made (nothing changed, a name clash): the message says why."""


@dataclass(frozen=True)
class WrittenMutant:
    """A mutant written to `directory` and loaded back as `instance`."""

    instance: Instance
    original: Instance
    directory: Path
    result: MutationResult
    distances: dict[str, Distance]


def mutant_seed(seed: int, instance_id: str, index: int) -> int:
    """The seed of mutant `index` of an instance, from the run's seed (stable, 31 bits)."""
    digest = hashlib.sha256(f"{seed}/{instance_id}/{index}".encode()).digest()
    return int.from_bytes(digest[:4], "big") >> 1


def _new_names_clash(result: MutationResult, texts: list[str]) -> str | None:
    new = (set(result.names.plain.values()) | set(result.names.attribute.values())
           | set(result.names.imported.values()))
    used = set().union(*(words(t) for t in texts)) if texts else set()
    clash = sorted(new & used)
    return clash[0] if clash else None


def _relocated(original: Instance, directory: Path, data: dict[str, Any]) -> None:
    """Make a local source's path (or a local git repository's) relative to the mutant."""
    source = data["source"]
    key = "path" if isinstance(original.source, LocalSource) else "url"
    if isinstance(original.source, GitSource) and is_network_url(original.source.url):
        return
    if isinstance(original.source, (LocalSource, GitSource)) and original.root is not None:
        source[key] = os.path.relpath((original.root / source[key]).resolve(), directory)


def _record(original: Instance, mutant_id: str, spec: Mutation) -> dict[str, Any]:
    data = original.model_dump(mode="json", exclude_none=True, exclude={"root"})
    root = original.root
    if root is None:
        raise ValueError(f"{original.id}: no instance folder")
    data["id"] = mutant_id
    data["mutation"] = spec.model_dump(mode="json")
    data["metadata"] = {**data.get("metadata", {}), "mutated_from": original.id}
    data["rules"] = [str(Path(r).relative_to(root)) for r in original.rules]
    for key in ("python", "npm"):
        entries = data.get("environment", {}).get(key, [])
        data.get("environment", {})[key] = [
            str(Path(e).relative_to(root)) if Path(e).is_absolute() else e for e in entries]
    for index, location in enumerate(data["locations"]):
        gold = location.pop("gold", None)
        if gold is not None:
            suffix = info(language_of_path(location["file"], original.language)).extensions[0]
            location["gold_file"] = f"gold/{index + 1}{suffix}"
    return data


def write_mutant(original: Instance, tree: Path, seed: int, operators: list[str], index: int,
                 out: Path, dataset_root: Path | None = None) -> WrittenMutant:
    """Make mutant `index` of `original` (golds derived, regions as masked) from its upstream
    tree at `tree` into `out/<id>-m<index>/`, and load it back (as part of `dataset_root`,
    default `out`). A local source (or local git repository) is named relative to the mutant,
    so such a mutant loads only where `out` lies inside the original dataset folder. Raises
    MutantSkipped when the mutant would change nothing or a new name clashes with the gold or
    a variant, DatasetError when the written record does not load."""
    root = original.root
    if root is None:
        raise ValueError(f"{original.id}: no instance folder to copy the PoC, test and rules "
                         "from")
    spec = Mutation(seed=mutant_seed(seed, original.id, index), operators=operators)
    specified = original.model_copy(update={"mutation": spec})
    result = compute_mutation(tree, specified, instance_scripts(original))
    if not result.applied():
        raise MutantSkipped("no operator changed anything")
    variants = sorted((root / VARIANTS_DIR).glob("*.md")) if (root / VARIANTS_DIR).is_dir() \
        else []
    golds = [loc.gold for loc in original.locations if loc.gold is not None]
    clash = _new_names_clash(result, golds + [v.read_text("utf-8") for v in variants])
    if clash:
        raise MutantSkipped(f"the new name {clash} is already used by the gold or a variant")
    directory = out / f"{original.id}-m{index}"
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    for entry in sorted(root.iterdir()):  # PoC, test, harness, package files: as they are
        if entry.name in _DATA or entry.name.startswith("."):
            continue
        if entry.is_dir():
            shutil.copytree(entry, directory / entry.name, symlinks=True)
        else:
            shutil.copy2(entry, directory / entry.name)
    record = _record(original, directory.name, spec)
    record["description"] = result.names.apply_prose(original.description, original.language)
    _relocated(original, directory, record)
    for location, written in zip(original.locations, record["locations"], strict=True):
        if location.gold is not None:
            language = language_of_path(location.file, original.language)
            path = directory / written["gold_file"]
            path.parent.mkdir(exist_ok=True)
            path.write_text(result.names.apply_code(location.gold, language), encoding="utf-8")
    for rule in original.rules:
        target = directory / Path(rule).relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(rename_rule_file(Path(rule).read_text("utf-8"), result.names),
                          encoding="utf-8")
    for variant in variants:
        target = directory / VARIANTS_DIR / variant.name
        target.parent.mkdir(exist_ok=True)
        target.write_text(result.names.apply_markdown(variant.read_text("utf-8"),
                                                      original.language), encoding="utf-8")
    (directory / INSTANCE_FILE).write_text(
        yaml.safe_dump(record, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")
    upstream = {path: (tree / path).read_bytes().decode("utf-8") for path in result.texts}
    distances = {path: distance(upstream[path], text) for path, text in result.texts.items()}
    for index, location in enumerate(original.locations):  # the regions alone, as masked
        span = result.spans[index]
        before = "\n".join(upstream[location.file].split("\n")[location.start - 1:location.end])
        after = "\n".join(result.texts[location.file].split("\n")[span.start - 1:span.end])
        distances[f"region {index + 1}"] = distance(before, after)
    (directory / MUTATION_RECORD).write_text(json.dumps({
        "mutated_from": original.id, "seed": spec.seed, "operators": operators,
        "applied": result.applied(), "names": result.names.as_dict(),
        "changes": result.changes, "refusals": result.refusals,
        "distance": {p: vars(d) for p, d in distances.items()},  # files, then regions
    }, indent=2), encoding="utf-8")
    mutant = load_instance(directory, dataset_root=dataset_root or out)
    return WrittenMutant(mutant, original, directory, result, distances)
