"""Every kept mutant of `builtin-mutated` is the bytes that were re-validated: its spec pins
the sha256 of each mutated file, and the mutation computed afresh by the current operators
(never the cached tree) still makes exactly those bytes. An operator change that alters a
built-in mutant fails here, naming it, instead of silently judging unvalidated code.

The mutants of the instances `make test` fetches anyway (`builtin_subset.IN_MAKE_TEST`) are
checked in `make test`; all of them by `make validate` (`whole_dataset`)."""

from __future__ import annotations

import pytest
from builtin_subset import IN_MAKE_TEST

from asebench.dataset.load import BUILTIN_MUTATED, load_dataset, resolve_dataset_path
from asebench.dataset.schema import Instance
from asebench.mutation.spec import read_spec, spec_files
from asebench.mutation.tree import compute_mutation, file_digests
from asebench.sources.fetch import fetch_tree

LOADED = load_dataset(BUILTIN_MUTATED)
MUTANTS = {i.id: i for i in LOADED.instances}


def _original(mutant: Instance) -> str:
    return str(mutant.metadata["mutated_from"])


def test_builtin_mutated_loads_and_every_kept_spec_is_pinned() -> None:
    assert LOADED.problems == []
    specs = [read_spec(p) for p in spec_files(resolve_dataset_path(BUILTIN_MUTATED))]
    kept = [s for s in specs if s.loads]
    assert kept and sorted(s.id for s in kept) == sorted(MUTANTS)
    assert [s.id for s in kept if not s.sha256] == []


def _fresh_digests(mutant: Instance) -> dict[str, str]:
    upstream = fetch_tree(mutant.source, instance_root=mutant.root)
    return file_digests(compute_mutation(upstream.root, mutant))


def _check(mutant_id: str) -> None:
    mutant = MUTANTS[mutant_id]
    spec_path = next(p for p in spec_files(resolve_dataset_path(BUILTIN_MUTATED))
                     if read_spec(p).id == mutant_id)
    assert _fresh_digests(mutant) == read_spec(spec_path).sha256, (
        f"{spec_path.name}: the current operators no longer make the mutant it pins")


@pytest.mark.parametrize("mutant_id", sorted(m for m, i in MUTANTS.items()
                                            if _original(i) in IN_MAKE_TEST))
def test_a_make_test_mutant_is_still_made_byte_for_byte(mutant_id: str) -> None:
    _check(mutant_id)


@pytest.mark.whole_dataset
@pytest.mark.parametrize("mutant_id", sorted(m for m, i in MUTANTS.items()
                                            if _original(i) not in IN_MAKE_TEST))
def test_every_builtin_mutant_is_still_made_byte_for_byte(mutant_id: str) -> None:
    _check(mutant_id)
