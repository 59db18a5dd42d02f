"""The built-in instances whose upstream fix is bypassable keep only their own lines, as
`gold_patch` over the gold derived from the fixed release; applied, each gives exactly the gold
that was reviewed and validated when it was a whole file written here (`gold/1.py`/`gold/1.js`,
removed when the patches replaced them: their sha256 are pinned below)."""

import hashlib

import pytest

from asebench.dataset.load import load_dataset
from asebench.sources.fetch import fetch_tree
from asebench.sources.fix_commit import with_derived_gold

REVIEWED_GOLD_SHA256 = {
    "adm-zip-CVE-2018-1002204":
        "22f7b3c8bf44d6378d829beadd2b8e9800b0522b7ed6b28ba9b9e4c16a9fc1c0",
    "gitpython-CVE-2022-24439":
        "20975eb1838366720066da2e7917e7bb99d2a81ecc07ccf76359bb4d67560706",
    "gitpython-CVE-2023-40267":
        "6578e71e4a5bb34aa677b09caad1c1d3e52d34ff217a2c1c22ab9383b52dded6",
    "jinja2-CVE-2020-28493":
        "8052c5a462ca4f08872045853b9f6daafea91e6fee36c42162c44537a31b4441",
    "jupyter_server-CVE-2023-39968":
        "c0ff8f5c885ecd00125cc3acd85ec85dc26883e3dc00bdecbc547acfd11fa8ce",
    "mako-CVE-2022-40023":
        "b5af093c75a4a49d7f18d71da93bfd97ae515e03f672dae2f9be1fcb2dc12365",
    "urllib3-CVE-2018-20060":
        "9edcd92d32c50091b0c5925b2afd167b89ec27a009afd34b00311eb657d9af22",
}


def test_no_real_instance_writes_a_whole_gold() -> None:
    """Every real instance's gold is derived from its fix (plus a gold patch at most)."""
    written = [(instance.id, index)
               for instance in load_dataset("builtin").instances if not instance.synthetic
               for index, location in enumerate(instance.locations) if location.gold is not None]
    assert written == []


def test_the_instances_with_a_gold_patch_are_the_pinned_ones() -> None:
    patched = {instance.id for instance in load_dataset("builtin").instances
               if any(location.gold_patch for location in instance.locations)}
    assert patched == set(REVIEWED_GOLD_SHA256)


# adm-zip (npm, seconds) in `make test`; the six PyPI ones (a sandboxed sdist build each,
# cold) in `make validate`
@pytest.mark.network
@pytest.mark.parametrize("instance_id", [
    pytest.param(i, marks=[] if i == "adm-zip-CVE-2018-1002204" else [pytest.mark.whole_dataset])
    for i in sorted(REVIEWED_GOLD_SHA256)])
def test_derived_gold_plus_patch_is_byte_identical_to_the_reviewed_gold(
    instance_id: str
) -> None:
    [instance] = [i for i in load_dataset("builtin").instances if i.id == instance_id]
    derived = with_derived_gold(instance, fetch_tree(instance.source,
                                                     instance_root=instance.root).root)
    assert derived.problems == [] and derived.notes == []
    [before], [after] = instance.locations, derived.instance.locations
    assert (after.start, after.end, after.gold_patch) == (before.start, before.end, None)
    assert after.gold is not None
    assert hashlib.sha256(after.gold.encode("utf-8")).hexdigest() == \
        REVIEWED_GOLD_SHA256[instance_id]
