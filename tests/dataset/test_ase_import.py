"""A.S.E's own JSON (v1, v2, v3) imports as is: each entry loads or is rejected naming entry and
field; several ranges in one `vuln_lines` are several locations; `<sha>^` names the fix."""

import json
from pathlib import Path

import pytest

from asebench.dataset.load import load_dataset
from asebench.dataset.loaded import LoadedDataset
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


def _entry(**fields: object) -> dict[str, object]:
    entry: dict[str, object] = {
        "instance_id": "demo_1", "repo": "demo/links", "base_commit": "a" * 40,
        "vuln_file": "links.py", "vuln_lines": [2, 3], "language": "python",
        "vuln_source": "CVE-2020-1", "cwe_id": "cwe-79"}
    entry.update(fields)
    return entry


def _import(tmp_path: Path, *entries: dict[str, object]) -> LoadedDataset:
    path = tmp_path / "data.json"
    path.write_text(json.dumps(list(entries)))
    return load_dataset(str(path))


def test_a_flat_list_of_several_ranges_imports_as_several_locations(tmp_path: Path) -> None:
    loaded = _import(tmp_path, _entry(vuln_lines=[589, 612, 1724, 1742], other_vuln_files=[]))
    [instance] = loaded.instances
    assert [(loc.file, loc.start, loc.end) for loc in instance.locations] == [
        ("links.py", 589, 612), ("links.py", 1724, 1742)]


def test_an_odd_list_of_line_numbers_is_rejected_naming_the_field(tmp_path: Path) -> None:
    loaded = _import(tmp_path, _entry(vuln_lines=[5, 9, 12]),
                     _entry(instance_id="demo_2", other_vuln_files=[
                         {"vuln_file": "b.py", "vuln_lines": "7-9"}]))
    assert loaded.instances == []
    assert [(p.instance.split(" ")[0], p.field) for p in loaded.problems] == [
        ("demo_1", "vuln_lines"), ("demo_2", "other_vuln_files.0.vuln_lines")]


@pytest.mark.parametrize("suffix", ["^", "~", "~1"])
def test_a_base_commit_written_as_the_parent_of_a_sha_names_the_fix(
    tmp_path: Path, suffix: str
) -> None:
    sha = "0123456789abcdef0123456789abcdef01234567"
    [instance] = _import(tmp_path, _entry(base_commit=sha + suffix)).instances
    assert isinstance(instance.source, GitSource)
    assert (instance.source.rev, instance.source.fixed_rev) == (sha + suffix, sha)


def test_patch_commit_wins_and_a_plain_base_commit_names_no_fix(tmp_path: Path) -> None:
    loaded = _import(tmp_path, _entry(base_commit="v2.9.2", patch_commit="b" * 40),
                     _entry(instance_id="demo_2", base_commit="c" * 40))
    fixes = [i.source.fixed_rev for i in loaded.instances if isinstance(i.source, GitSource)]
    assert fixes == ["b" * 40, None]


@needs_shared
def test_v1_entries_written_sha_caret_get_their_fix_commit() -> None:
    loaded = load_dataset(str(SHARED / "data_v1.json"))
    carets = [i.source for i in loaded.instances
              if isinstance(i.source, GitSource) and i.source.rev.endswith(("^", "~"))]
    assert len(carets) == 19
    assert all(s.fixed_rev == s.rev[:-1] for s in carets)


@needs_shared
def test_every_v3_entry_loads_and_flat_ranges_become_locations() -> None:
    entries = json.loads((SHARED / "data_v3.json").read_text())
    loaded = load_dataset(str(SHARED / "data_v3.json"))
    assert loaded.problems == []
    assert len(loaded.instances) == len(entries)
    by_id = {i.id: i for i in loaded.instances}
    for entry in entries:
        lines = entry["vuln_lines"]
        spans = [(loc.start, loc.end) for loc in by_id[entry["instance_id"]].locations]
        assert spans == list(zip(lines[::2], lines[1::2], strict=True))
    assert any(len(i.locations) > 1 for i in loaded.instances)
    assert all(i.metadata["format"] == "ase-v3" for i in loaded.instances)


def test_overlapping_ranges_are_rejected_naming_the_location(tmp_path: Path) -> None:
    loaded = _import(tmp_path, _entry(vuln_lines=[10, 20], other_vuln_files=[
        {"vuln_file": "links.py", "vuln_lines": [15, 25]}]))
    [problem] = loaded.problems
    assert problem.field == "locations.1"
    assert problem.message.startswith("locations.1 overlaps another location in links.py")
