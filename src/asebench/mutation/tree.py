"""The mutated source tree of an instance with a `mutation:` spec, built once and cached.

The tree is the upstream tree with the masked files replaced by their mutants (other files
are hard links into the read-only cache); its key covers the upstream tree's digest, the
spec, the upstream regions, the text of the instance's PoC/test/harness (the renames check
against them), `MUTATION_VERSION` and the digest of the operators' source code. The
mutation's record (new region spans, renames, changes and refusals) is kept beside it, never
inside the tree, where a model or an agent could read the upstream names.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from asebench.cache import cache_dir
from asebench.code.languages import info, language_of_path
from asebench.dataset.schema import Instance, Location
from asebench.mutation.edits import Span
from asebench.mutation.engine import (
    MUTATION_VERSION,
    MutationError,
    MutationResult,
    check_operators,
    mutate_sources,
)
from asebench.mutation.name_map import NameMap
from asebench.mutation.spec import NAMES_KEY, SHA256_KEY
from asebench.sources.tree import SourceTree, build_tree, cached_tree

MUTATION_RECORD = "mutation.json"
"""A mutant folder's record of its renames and changes (`mutant.py`), not a script."""
UPSTREAM_LOCATIONS = "mutation_upstream_locations"
"""Metadata of an opened mutant: its regions in upstream lines, [file, start, end] each."""
_INSTANCE_DATA = frozenset({"gold", "variants", "rules", "instance.yaml", MUTATION_RECORD})
_MAX_TEXT = 2_000_000


def _texts_under(root: Path, extensions: tuple[str, ...], skip: set[str],
                 prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for directory, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(directory, name)
            relative = path.relative_to(root).as_posix()
            if relative in skip or not name.lower().endswith(extensions) or path.is_symlink():
                continue
            try:
                if path.stat().st_size <= _MAX_TEXT:
                    out[prefix + relative] = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
    return out


def instance_scripts(instance: Instance) -> dict[str, str]:
    """The PoC, test, harness and other scripts of the instance folder (label -> text): what
    calls the project by name from outside. Gold, variants and rules are not among them."""
    if instance.root is None:
        return {}
    out: dict[str, str] = {}
    for entry in sorted(instance.root.iterdir()):
        if entry.name in _INSTANCE_DATA or entry.name.startswith("."):
            continue
        if entry.is_dir():
            out.update(_texts_under(entry, ("",), set(), prefix=f"instance:{entry.name}/"))
        elif entry.is_file() and entry.stat().st_size <= _MAX_TEXT:
            out[f"instance:{entry.name}"] = entry.read_text(encoding="utf-8", errors="replace")
    return out


@functools.cache
def operators_digest() -> str:
    """sha256 of the mutation package's own source (every `.py` of `asebench.mutation`), so a
    cached mutated tree is never reused after an operator changes, bumped version or not (a
    stale tree made before a JavaScript fix once discarded two good lodash mutants)."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _key(tree: SourceTree, instance: Instance, scripts: dict[str, str]) -> str:
    spec = instance.mutation
    if spec is None:
        raise ValueError(f"{instance.id}: no mutation spec")
    record = {
        "version": MUTATION_VERSION, "code": operators_digest(), "tree": tree.digest,
        "seed": spec.seed,
        "operators": spec.operators, "language": instance.language.value,
        "regions": [[loc.file, loc.start, loc.end] for loc in instance.locations],
        "scripts": hashlib.sha256(json.dumps(scripts, sort_keys=True).encode()).hexdigest(),
    }
    text = json.dumps(record, sort_keys=True)
    return "mut-" + hashlib.sha256(text.encode()).hexdigest()[:40]


def compute_mutation(tree: Path, instance: Instance,
                     scripts: dict[str, str] | None = None) -> MutationResult:
    """Run the instance's mutation over its masked files in the upstream tree at `tree`.
    Raises MutationError (unknown operator) or OSError/UnicodeDecodeError (unreadable file)."""
    spec = instance.mutation
    if spec is None:
        raise ValueError(f"{instance.id}: no mutation spec")
    check_operators(spec.operators)
    paths = sorted({loc.file for loc in instance.locations})
    files = {path: (tree / path).read_bytes().decode("utf-8") for path in paths}
    regions = {i: (loc.file, Span(loc.start, loc.end))
               for i, loc in enumerate(instance.locations)}
    extensions = tuple({ext for path in paths
                        for ext in info(language_of_path(path, instance.language)).extensions})
    others = _texts_under(tree, extensions, set(paths))
    others.update(scripts if scripts is not None else instance_scripts(instance))
    return mutate_sources(files, regions, language=instance.language, seed=spec.seed,
                          operators=list(spec.operators), others=others)


def file_digests(result: MutationResult) -> dict[str, str]:
    """Per mutated file: the sha256 (hex) of its UTF-8 text, as a spec pins it."""
    return {path: hashlib.sha256(text.encode("utf-8")).hexdigest()
            for path, text in sorted(result.texts.items())}


def _fill(base: Path, result: MutationResult) -> Callable[[Path], None]:
    def fill(staging: Path) -> None:
        shutil.copytree(base, staging, symlinks=True, dirs_exist_ok=True,
                        copy_function=_link_or_copy)
        for path, text in result.texts.items():
            target = staging / path
            os.chmod(target.parent, 0o755)
            target.unlink()  # a hard link into the upstream tree: never write through it
            target.write_bytes(text.encode("utf-8"))
    return fill


def _link_or_copy(source: str, destination: str) -> None:
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)


def mutated_tree(tree: SourceTree, instance: Instance, rename_golds: frozenset[int] = frozenset()
                 ) -> tuple[SourceTree, Instance, MutationResult]:
    """The mutated tree of `instance` (built from the upstream `tree` on first use), the
    instance with its locations moved to where the regions are in the mutant, and the
    mutation's record. An instance without a spec comes back unchanged (and `tree`).
    The returned instance keeps the upstream regions in `metadata[UPSTREAM_LOCATIONS]`, so
    opening it again (a sample's solver and scorer reopen the task's instance) mutates the
    same upstream regions, never the moved ones.
    The golds of the locations in `rename_golds` (0-based; golds derived from the upstream
    fix) get the mutant's names. Raises MutationError when the instance records the renames
    its mutation must make (`spec.NAMES_KEY`) and the mutation now makes others, or the
    sha256 of the files it was re-validated on (`spec.SHA256_KEY`) and they now differ."""
    if instance.mutation is None:
        return tree, instance, MutationResult()
    upstream = instance.metadata.get(UPSTREAM_LOCATIONS)
    if upstream is not None:  # an opened mutant opened again (a sample's solver, its scorer)
        instance = instance.model_copy(update={"locations": [
            loc.model_copy(update={"start": start, "end": end})
            for loc, (_, start, end) in zip(instance.locations, upstream, strict=True)]})
    scripts = instance_scripts(instance)
    digest = _key(tree, instance, scripts)
    record_path = cache_dir("mutations") / f"{digest}.json"
    found = cached_tree(digest)
    if found is not None and record_path.is_file():
        result = MutationResult.from_record(json.loads(record_path.read_text("utf-8")))
    else:
        result = compute_mutation(tree.root, instance, scripts)
        found = build_tree(digest, _fill(tree.root, result))
        temporary = record_path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(result.as_record()), encoding="utf-8")
        temporary.replace(record_path)
    recorded = instance.metadata.get(NAMES_KEY)
    if recorded is not None and NameMap.from_dict(recorded).as_dict() != result.names.as_dict():
        raise MutationError(
            "the mutation no longer makes the renames its spec records (an operator changed "
            f"since it was re-validated): recorded {recorded}, now {result.names.as_dict()}")
    pinned = instance.metadata.get(SHA256_KEY)
    if pinned and pinned != file_digests(result):
        raise MutationError(
            "the mutation no longer makes the files its spec was re-validated on (an operator "
            f"changed since): recorded sha256 {pinned}, now {file_digests(result)}")
    locations = [Location(file=loc.file, start=result.spans[i].start, end=result.spans[i].end,
                          gold=loc.gold if i not in rename_golds or loc.gold is None else
                          result.names.apply_code(loc.gold,
                                                  language_of_path(loc.file, instance.language)),
                          gold_patch=loc.gold_patch)
                 for i, loc in enumerate(instance.locations)]
    metadata = {**instance.metadata, UPSTREAM_LOCATIONS: [
        [loc.file, loc.start, loc.end] for loc in instance.locations]}
    return found, instance.model_copy(update={"locations": locations, "metadata": metadata}), \
        result
