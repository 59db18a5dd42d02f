"""Spec-only mutants (the form of `builtin-mutated`): `mutate --spec-only` writes one small
`<id>.mutant.yaml` per mutant; loading builds the instance from its original's folder, and
opening it gives the same tree, gold and rules as the mutant folder `mutate` writes."""

from __future__ import annotations

import hashlib
import re
import subprocess
import textwrap
from pathlib import Path

import pytest
import yaml
from files_read import GOLD, PROJECT, RECORD, RULE

from asebench.cli import main
from asebench.dataset.gold_patch import make_gold_patch
from asebench.dataset.load import BUILTIN_MUTATED, load_dataset, resolve_dataset_path
from asebench.dataset.native import load_instance
from asebench.dataset.schema import Instance
from asebench.mutation.mutant import write_mutant
from asebench.mutation.report import report_of_specs
from asebench.mutation.spec import SPEC_SUFFIX, read_spec
from asebench.opened_instance import instance_from_metadata, instance_metadata, open_instance
from asebench.preflight import check_instance

VARIANT = textwrap.dedent('''\
    ---
    expect: secure
    kind: rewrite
    idiom: checks the joined path with the helper before opening it
    ---
    ```python
    # <MASKED REGION 1>
    path = _join(_ROOT, name)
    if not _is_inside(_ROOT, path):
        raise ValueError(name)
    with open(path) as handle:
        return handle.read()
    ```
    ''')


@pytest.fixture
def dataset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ASEBENCH_CACHE", str(tmp_path / "cache"))
    root = tmp_path / "data"
    (root / "project" / "pkg").mkdir(parents=True)
    (root / "project" / "pkg" / "files.py").write_text(PROJECT)
    instance = root / "files-read"
    for folder in ("gold", "rules", "variants"):
        (instance / folder).mkdir(parents=True)
    (instance / "instance.yaml").write_text(RECORD)
    (instance / "gold" / "1.py").write_text(GOLD)
    (instance / "rules" / "root.yaml").write_text(RULE)
    (instance / "variants" / "helper.md").write_text(VARIANT)
    (instance / "notes.txt").write_text("a file the PoC could read\n")
    return root


def _spec_only(dataset: Path, *extra: str, seed: int = 1) -> Path:
    out = dataset / "mutated"
    assert main(["mutate", str(dataset), "--out", str(out), "--per-instance", "1",
                 "--seed", str(seed), "--spec-only", *extra]) == 0
    return out


def test_spec_only_writes_one_small_file_per_mutant_and_no_code(dataset: Path) -> None:
    out = _spec_only(dataset, "--no-validate")
    assert sorted(p.name for p in out.iterdir()) == [f"files-read-m1{SPEC_SUFFIX}"]
    spec = read_spec(out / f"files-read-m1{SPEC_SUFFIX}")
    assert (spec.original.dataset, spec.original.instance, spec.original.id) == (
        "..", "files-read", "files-read")
    assert spec.names.plain, "the fixture has safe renames"
    assert spec.revalidation is None  # --no-validate: nothing kept or discarded


def test_a_spec_mutant_loads_with_renamed_gold_rules_and_variants(dataset: Path) -> None:
    out = _spec_only(dataset, "--no-validate")
    [mutant] = load_dataset(str(out)).instances
    names = read_spec(out / f"files-read-m1{SPEC_SUFFIX}").names.plain
    assert mutant.id == "files-read-m1" and mutant.metadata["mutated_from"] == "files-read"
    assert mutant.root is not None and not mutant.root.is_relative_to(dataset)
    gold = mutant.locations[0].gold or ""
    rule = Path(mutant.rules[0]).read_text()
    variant = (mutant.root / "variants" / "helper.md").read_text()
    assert (mutant.root / "notes.txt").read_text() == "a file the PoC could read\n"
    for old, new in names.items():
        for upstream, renamed in ((GOLD, gold), (VARIANT, variant), (RULE, rule)):
            if re.search(rf"(?<![\w.]){old}\b", upstream):
                assert new in renamed and not re.search(rf"(?<![\w.]){old}\b", renamed)


def test_opening_a_spec_mutant_gives_the_folder_mutants_tree_and_gold(dataset: Path) -> None:
    out = _spec_only(dataset, "--no-validate")
    [spec_mutant] = load_dataset(str(out)).instances
    original = load_instance(dataset / "files-read", dataset_root=dataset)
    tree, task = open_instance(original)
    folder = write_mutant(task.instance, tree.root, 1, list(spec_mutant.mutation.operators)
                          if spec_mutant.mutation else [], 1, dataset / "folders",
                          dataset_root=dataset)
    spec_tree, spec_task = open_instance(spec_mutant)
    folder_tree, folder_task = open_instance(folder.instance)
    assert (spec_tree.root / "pkg" / "files.py").read_bytes() == (
        folder_tree.root / "pkg" / "files.py").read_bytes()
    assert spec_task.reference_answer("reference") == folder_task.reference_answer("reference")
    assert spec_task.reference_answer("vulnerable") == folder_task.reference_answer(
        "vulnerable")


def test_an_opened_mutant_opened_again_from_its_sample_is_the_same_mutant(
        dataset: Path) -> None:
    out = _spec_only(dataset, "--no-validate", seed=0)  # the region moves to lines 7-9
    [mutant] = load_dataset(str(out)).instances
    tree, task = open_instance(mutant)
    assert [(loc.start, loc.end) for loc in task.instance.locations] != [
        (loc.start, loc.end) for loc in mutant.locations], "the fixture's regions move"
    again_tree, again_task = open_instance(instance_from_metadata(
        instance_metadata(task.instance)))  # what a sample's solver and scorer do
    assert again_tree.digest == tree.digest
    assert again_task.reference_answer("vulnerable") == task.reference_answer("vulnerable")


def test_kept_and_discarded_mutants_carry_their_revalidation_record(dataset: Path) -> None:
    out = _spec_only(dataset, "--no-dynamic")
    spec = read_spec(out / f"files-read-m1{SPEC_SUFFIX}")
    assert spec.revalidation is not None and spec.revalidation.kept, spec.revalidation
    assert "variants 1/1 right" in spec.revalidation.verdicts
    assert "pkg/files.py" in spec.revalidation.distances
    discarded = spec.model_copy(update={"id": "files-read-m2", "revalidation":
                                        spec.revalidation.model_copy(update={
                                            "kept": False, "reason": "PoC does not trigger"})})
    (out / f"files-read-m2{SPEC_SUFFIX}").write_text(yaml.safe_dump(
        discarded.model_dump(mode="json")))
    assert [i.id for i in load_dataset(str(out)).instances] == ["files-read-m1"]
    report = report_of_specs(out)
    assert [(m.name, m.kept, m.reason) for m in report.mutants] == [
        ("files-read-m1", True, ""), ("files-read-m2", False, "PoC does not trigger")]
    assert all(kept <= tried for tried, kept in report.per_operator().values())


def test_a_spec_naming_the_wrong_original_is_a_problem_of_that_file(dataset: Path) -> None:
    out = _spec_only(dataset, "--no-validate")
    path = out / f"files-read-m1{SPEC_SUFFIX}"
    path.write_text(path.read_text().replace("id: files-read\n", "id: files-other\n"))
    loaded = load_dataset(str(out))
    assert loaded.instances == []
    [problem] = loaded.problems
    assert (problem.instance, problem.file, problem.field) == ("files-read-m1", path,
                                                               "original.id")


def test_renames_the_mutation_no_longer_makes_stop_the_mutant(dataset: Path) -> None:
    out = _spec_only(dataset, "--no-validate")
    path = out / f"files-read-m1{SPEC_SUFFIX}"
    data = yaml.safe_load(path.read_text())
    data["names"]["plain"]["not_in_the_file"] = "renamed_elsewhere"
    path.write_text(yaml.safe_dump(data))
    [mutant] = load_dataset(str(out)).instances
    checked = check_instance(mutant)
    assert checked.task is None
    assert any(p.field == "mutation" and "no longer makes the renames" in p.message
               for p in checked.problems)



def test_a_spec_pins_the_bytes_of_its_mutated_files(dataset: Path) -> None:
    out = _spec_only(dataset, "--no-validate")
    path = out / f"files-read-m1{SPEC_SUFFIX}"
    spec = read_spec(path)
    [mutant] = load_dataset(str(out)).instances
    tree, _ = open_instance(mutant)
    assert spec.sha256 and all(
        hashlib.sha256((tree.root / file).read_bytes()).hexdigest() == digest
        for file, digest in spec.sha256.items())


def test_a_mutant_whose_bytes_changed_since_it_was_judged_is_a_problem(dataset: Path) -> None:
    out = _spec_only(dataset, "--no-validate")
    path = out / f"files-read-m1{SPEC_SUFFIX}"
    data = yaml.safe_load(path.read_text())
    [file] = data["sha256"]
    data["sha256"][file] = "0" * 64  # as if an operator now wrote other bytes
    path.write_text(yaml.safe_dump(data))
    [mutant] = load_dataset(str(out)).instances
    checked = check_instance(mutant)
    assert checked.task is None
    assert any(p.field == "mutation" and "no longer makes the files its spec was re-validated"
               in p.message for p in checked.problems)


VULNERABLE = textwrap.dedent('''\
    import os


    def _quoted(value):
        return "'" + value + "'"


    def run(name):
        command = "cat " + name
        os.system(command)
        return 0
    ''')
FIXED = textwrap.dedent('''\
    import os
    import subprocess


    def _quoted(value):
        return "'" + value + "'"


    def run(name):
        subprocess.run(["cat", name], check=False)
        return 0
    ''')


def _tool_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A dataset folder with `tool-run`: a git repository whose fix commit gives the gold."""
    monkeypatch.setenv("ASEBENCH_CACHE", str(tmp_path / "cache"))
    repo = tmp_path / "data" / "repo"
    repo.mkdir(parents=True)
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / "tool.py").write_text(VULNERABLE)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "vulnerable"], check=True)
    (repo / "tool.py").write_text(FIXED)
    subprocess.run([*git, "commit", "-qam", "fix"], check=True)
    fix = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True,
                         check=True).stdout.strip()
    instance = tmp_path / "data" / "tool-run"
    instance.mkdir()
    (instance / "instance.yaml").write_text(textwrap.dedent(f'''\
        id: tool-run
        cwe: CWE-78
        language: python
        description: Runs cat on a name through the shell.
        source: {{kind: git, url: ../repo, rev: "{fix}^", fixed_rev: "{fix}"}}
        locations: [{{file: tool.py, start: 9, end: 10}}]
        '''))
    return tmp_path / "data"


def _mutant_of_tool_run(data: Path) -> tuple[Instance, dict[str, str]]:
    """The spec-only rename-locals mutant of `tool-run`, and its renames."""
    out = data / "mutated"
    assert main(["mutate", str(data), "--out", str(out), "--per-instance", "1",
                 "--operators", "rename-locals", "--spec-only", "--no-validate",
                 "--instances", "tool-run"]) == 0
    [mutant] = load_dataset(str(out)).instances
    renamed = read_spec(out / f"tool-run-m1{SPEC_SUFFIX}").names.plain
    assert "name" in renamed, renamed
    return mutant, renamed


def test_a_gold_derived_from_the_fix_is_derived_upstream_then_renamed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mutant, renamed = _mutant_of_tool_run(_tool_run(tmp_path, monkeypatch))
    assert mutant.locations[0].gold is None  # derived when opened, never stored
    tree, task = open_instance(mutant)
    gold = task.instance.locations[0].gold or ""
    assert f'subprocess.run(["cat", {renamed["name"]}], check=False)' in gold
    assert f"def run({renamed['name']}):" in (tree.root / "tool.py").read_text()


def test_a_gold_patch_applies_to_the_upstream_gold_then_the_gold_is_renamed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _tool_run(tmp_path, monkeypatch)
    folder = data / "tool-run"
    _, task = open_instance(load_instance(folder, dataset_root=data))
    derived = task.instance.locations[0].gold or ""
    line = 'subprocess.run(["cat", name], check=False)'
    assert line in derived
    (folder / "gold").mkdir()
    (folder / "gold" / "1.patch").write_text(make_gold_patch(
        derived, derived.replace(line, line.replace("cat", "head"))))
    record = folder / "instance.yaml"
    record.write_text(record.read_text().replace("end: 10}", "end: 10, gold_patch: gold/1.patch}"))
    mutant, renamed = _mutant_of_tool_run(data)
    _, opened = open_instance(mutant)  # the patch is found beside the mutant's scripts
    gold = opened.instance.locations[0].gold or ""
    assert f'subprocess.run(["head", {renamed["name"]}], check=False)' in gold


def test_builtin_mutated_resolves_inside_the_package() -> None:
    path = resolve_dataset_path(BUILTIN_MUTATED)
    assert path.name == BUILTIN_MUTATED and path.parent.name == "data"


def test_run_mutants_is_the_builtin_mutated_dataset() -> None:
    from asebench.cli import build_parser

    assert build_parser().parse_args(["run", "--mutants"]).dataset == BUILTIN_MUTATED
    assert build_parser().parse_args(["run"]).dataset == "builtin"


def test_mutate_refuses_an_unknown_instance_id_before_doing_anything(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    data = _tool_run(tmp_path, monkeypatch)
    out = data / "mutated"
    assert main(["mutate", str(data), "--out", str(out), "--spec-only", "--no-validate",
                 "--instances", "tool-rum"]) == 2
    err = capsys.readouterr().err
    assert "asebench mutate: --instances: no instance 'tool-rum'" in err
    assert "did you mean tool-run?" in err
    assert not out.exists()


def test_mutate_says_what_it_writes_while_it_works(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    _mutant_of_tool_run(_tool_run(tmp_path, monkeypatch))
    err = capsys.readouterr().err
    assert "asebench: mutating 1 instance(s), 1 mutant(s) each" in err
    assert "asebench: tool-run-m1: written (rename-locals operator applied)" in err
    assert "asebench: instances mutated 1/1: tool-run" in err
