"""A mutant instance end to end: written in the native format, rebuilt from the upstream tree
and its spec byte for byte, with gold and rules renamed alike, and re-validated."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from files_read import GOLD, PROJECT, RECORD, RULE

from asebench.dataset.native import load_instance
from asebench.mutation.mutant import WrittenMutant, write_mutant
from asebench.mutation.operators import operators_for
from asebench.mutation.revalidate import mutate_dataset
from asebench.opened_instance import open_instance
from asebench.sources.fetch import fetch_tree
from asebench.validate import validate_instances


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    (tmp_path / "project" / "pkg").mkdir(parents=True)
    (tmp_path / "project" / "pkg" / "files.py").write_text(PROJECT)
    instance = tmp_path / "files-read"
    (instance / "gold").mkdir(parents=True)
    (instance / "rules").mkdir()
    (instance / "instance.yaml").write_text(RECORD)
    (instance / "gold" / "1.py").write_text(GOLD)
    (instance / "rules" / "root.yaml").write_text(RULE)
    return tmp_path


def _mutant(dataset: Path, seed: int = 1) -> WrittenMutant:
    original = load_instance(dataset / "files-read", dataset_root=dataset)
    tree, task = open_instance(original)
    return write_mutant(task.instance, tree.root, seed, operators_for(original.language), 1,
                        dataset / "mutants", dataset_root=dataset)


def test_the_mutant_record_names_the_upstream_source_and_the_spec(dataset: Path) -> None:
    mutant = _mutant(dataset)
    assert mutant.instance.mutation is not None
    assert mutant.instance.mutation.operators == operators_for(mutant.instance.language)
    assert mutant.instance.metadata["mutated_from"] == "files-read"
    assert not (mutant.directory / "pkg").exists()  # no code is copied, only the spec


def test_gold_rules_and_tree_use_the_same_names(dataset: Path) -> None:
    mutant = _mutant(dataset)
    names = mutant.result.names.plain
    assert names, "the fixture has safe renames"
    gold = (mutant.directory / "gold" / "1.py").read_text()
    rule = (mutant.directory / "rules" / "root.yaml").read_text()
    tree, _ = open_instance(mutant.instance)
    code = (tree.root / "pkg" / "files.py").read_text()
    for old, new in names.items():
        if old in GOLD:
            assert new in gold and old not in gold.replace(new, "")
        assert new in code
    if "_is_inside" in names:
        assert names["_is_inside"] in rule and "_is_inside" not in rule


def test_the_same_spec_rebuilds_the_same_bytes(dataset: Path) -> None:
    mutant = _mutant(dataset)
    first_tree, first_task = open_instance(mutant.instance)
    again = load_instance(mutant.directory, dataset_root=dataset)
    second_tree, second_task = open_instance(again)
    assert first_tree.root == second_tree.root
    assert [f.text for f in first_task.files] == [f.text for f in second_task.files]
    assert _mutant(dataset).result.texts == mutant.result.texts


def test_the_masked_region_is_the_upstream_region_renamed(dataset: Path) -> None:
    mutant = _mutant(dataset)
    _, task = open_instance(mutant.instance)
    upstream = "\n".join(PROJECT.split("\n")[15:18]) + "\n"
    assert task.files[0].originals[1] == mutant.result.names.apply_code(upstream,
                                                                         mutant.instance.language)


def test_the_mutant_passes_validate_with_real_semgrep(dataset: Path) -> None:
    mutant = _mutant(dataset)
    [check] = validate_instances([mutant.instance], repeat=1, dynamic=False)
    assert check.rule_on_vulnerable == [1] and check.rule_on_fix == [0]
    assert check.problems == [] or all("variant" in p for p in check.problems)


WRONG_VARIANT = textwrap.dedent('''\
    ---
    expect: secure
    kind: rewrite
    idiom: claims to be secure but opens the joined path unchecked
    ---
    ```python
        # <MASKED REGION 1>
        with open(_join(_ROOT, name)) as handle:
            return handle.read()
    ```
    ''')


def test_mutate_keeps_valid_mutants_and_discards_others_with_the_reason(dataset: Path) -> None:
    original = load_instance(dataset / "files-read", dataset_root=dataset)
    report = mutate_dataset([original], dataset / "mutants", per_instance=1, seed=3,
                            dynamic=False, dataset_root=dataset)
    assert [m.kept for m in report.mutants] == [True]
    tried, kept = report.per_operator()["rename-private"]
    assert tried == kept == 1
    assert report.memorisation_share()[1] == 1  # judged; no functional test: quality is syntax

    (dataset / "files-read" / "variants").mkdir()
    (dataset / "files-read" / "variants" / "wrong.md").write_text(WRONG_VARIANT)
    original = load_instance(dataset / "files-read", dataset_root=dataset)
    report = mutate_dataset([original], dataset / "again", per_instance=1, seed=3,
                            dynamic=False, dataset_root=dataset)
    [mutant] = report.mutants
    assert not mutant.kept and "variant wrong (expect secure) judged" in mutant.reason
    assert not (dataset / "again" / mutant.name).exists()


def test_a_change_to_the_operators_source_is_never_served_from_the_cache(
        dataset: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The mutated tree's cache key covers the operators' code: a tree cached before an
    operator changed (without a MUTATION_VERSION bump) is rebuilt, not reused."""
    from asebench.mutation import tree as mutated

    mutant = _mutant(dataset).instance
    upstream = fetch_tree(mutant.source, instance_root=mutant.root)
    first = mutated.mutated_tree(upstream, mutant)[0].root
    assert mutated.mutated_tree(upstream, mutant)[0].root == first  # served from the cache
    monkeypatch.setattr(mutated, "operators_digest", lambda: "an operator changed")
    assert mutated.mutated_tree(upstream, mutant)[0].root != first
