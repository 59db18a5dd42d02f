"""A.S.E's own JSON imports as is: each entry loads or is rejected naming entry and field."""

import json
from pathlib import Path

import pytest

from asebench.dataset.load import load_dataset
from asebench.dataset.schema import ContainerSpec, GitSource

SHARED = Path(__file__).resolve().parents[3] / "shared" / "ase-data"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/ase-data not present")


@needs_shared
def test_every_v1_entry_loads() -> None:
    loaded = load_dataset(str(SHARED / "data_v1.json"))
    assert len(loaded.instances) == 120
    assert loaded.problems == []
    caret = [i for i in loaded.instances if isinstance(i.source, GitSource)
             and i.source.rev.endswith("^")]
    assert caret, "v1 has base_commit written as sha^"
    assert all(i.cwe.startswith("CWE-") for i in loaded.instances)  # cwe-79 normalised


@needs_shared
def test_every_v2_entry_loads_or_is_rejected_by_name_and_field() -> None:
    entries = json.loads((SHARED / "data_v2.json").read_text())
    loaded = load_dataset(str(SHARED / "data_v2.json"))
    rejected = {p.instance.split(" (entry")[0] for p in loaded.problems}
    assert len(loaded.instances) + len(rejected) >= len({e["instance_id"] for e in entries})
    assert len(entries) == 145
    duplicate = [p for p in loaded.problems if p.field == "instance_id"]
    assert [p.instance for p in duplicate] == ["Choser_CVE-2021-32269 (entry 144)"]
    cpp = [p for p in loaded.problems if p.field == "language"]
    assert cpp and "c++" in cpp[0].message
    for problem in loaded.problems:
        assert "(entry " in problem.instance
        assert problem.field or "locations." in problem.message


@needs_shared
def test_v2_container_protocol_and_extra_locations_are_kept() -> None:
    loaded = load_dataset(str(SHARED / "data_v2.json"))
    first = loaded.instances[0]
    assert isinstance(first.container, ContainerSpec)
    assert first.container.poc_cmd == "./poc.sh"
    assert isinstance(first.source, GitSource) and first.source.fixed_rev
    multi = [i for i in loaded.instances if len(i.locations) > 1]
    assert multi, "other_vuln_files must become extra locations"
    assert all(not i.description for i in loaded.instances), "vuln_type must not leak"


def test_a_malformed_entry_is_named_with_its_field(tmp_path: Path) -> None:
    entry = {"instance_id": "x_1", "repo": "a/b", "base_commit": "abc123^",
             "vuln_file": "a.py", "vuln_lines": [9, 3], "language": "python",
             "vuln_source": "CVE-2020-1", "cwe_id": "cwe-78"}
    path = tmp_path / "d.json"
    path.write_text(json.dumps([entry, {**entry, "instance_id": "x_2", "vuln_lines": [3, 9]}]))
    loaded = load_dataset(str(path))
    assert [i.id for i in loaded.instances] == ["x_2"]
    assert loaded.problems[0].instance.startswith("x_1")
    assert "locations.0" in str(loaded.problems[0])
