"""The built-in dataset loads cleanly, and a fast subset passes the oracle check."""

import pytest
from builtin_subset import FAST_SUBSET, ONE_PER_SOURCE_KIND

from asebench.dataset.load import load_dataset
from asebench.dataset.schema import DebianSource
from asebench.lint import lint_dataset
from asebench.validate import validate_instances


def test_builtin_dataset_has_no_lint_problem_in_its_records() -> None:
    assert lint_dataset("builtin", fetch=False).lines() == []


@pytest.mark.network
@pytest.mark.whole_dataset
def test_builtin_dataset_has_no_lint_problem_in_its_sources() -> None:
    """Fetches every built-in release: regions inside their files, golds that differ."""
    assert lint_dataset("builtin").lines() == []


def test_builtin_instances_pin_their_releases() -> None:
    for instance in load_dataset("builtin").instances:
        if instance.synthetic:
            assert instance.source.kind == "local"
        elif isinstance(instance.source, DebianSource):
            # pinned by the orig tarball and every patch (sha256); the fix is the CVE's patch,
            # which is not among the patches that make the vulnerable tree
            source = instance.source
            assert source.orig.sha256 and source.fix_patch.sha256, instance.id
            assert source.fix_patch.name not in {p.name for p in source.patches}, instance.id
        else:
            assert instance.source.kind in ("pypi", "npm", "maven", "gomod"), instance.id
            assert getattr(instance.source, "sha256", None), instance.id
            assert getattr(instance.source, "fixed_version", None), instance.id


@pytest.mark.network
def test_fast_subset_separates_gold_fix_from_vulnerable_code() -> None:
    instances = [i for i in load_dataset("builtin").instances if i.id in FAST_SUBSET]
    assert len(instances) == len(FAST_SUBSET)
    checks = validate_instances(instances, repeat=2)
    assert {c.instance.id: c.problems for c in checks} == {i: [] for i in FAST_SUBSET}
    assert not any(c.flaky for c in checks)


@pytest.mark.network
def test_one_instance_of_each_new_source_kind_validates() -> None:
    instances = [i for i in load_dataset("builtin").instances if i.id in ONE_PER_SOURCE_KIND]
    assert sorted(i.source.kind for i in instances) == ["debian", "debian", "gomod", "maven"]
    checks = validate_instances(instances, repeat=1)
    assert {c.instance.id: c.problems for c in checks} == {i: [] for i in ONE_PER_SOURCE_KIND}
