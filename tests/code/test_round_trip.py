"""Round trip, over every built-in instance (`make test`: the subset it validates; the rest
are `whole_dataset`) and every test fixture: masking a location and
inserting the original text gives back the original file byte for byte (directly, and through
the answer reader as the `vulnerable` baseline sends it); inserting the gold (given, or derived
from the fix) gives a file that parses."""

from __future__ import annotations

from pathlib import Path

import pytest
from builtin_subset import IN_MAKE_TEST

from asebench.code.regions import insert_code, reindent
from asebench.code.syntax import check_syntax
from asebench.code.task import MaskedTask, mask_instance
from asebench.dataset.load import builtin_path, load_dataset
from asebench.dataset.schema import Instance
from asebench.opened_instance import open_instance
from asebench.sources.fetch import fetch_tree

FIXTURES = Path(__file__).parents[1] / "fixtures" / "instances"


def _instances() -> list[pytest.ParameterSet]:
    params = []
    for root in (builtin_path(), FIXTURES):
        for instance in load_dataset(str(root)).instances:
            marks = [] if instance.source.kind == "local" else [pytest.mark.network]
            if root == builtin_path() and instance.id not in IN_MAKE_TEST:
                marks.append(pytest.mark.whole_dataset)
            params.append(pytest.param(instance, id=instance.id, marks=marks))
    return params


def _task(instance: Instance) -> tuple[MaskedTask, Path]:
    tree = fetch_tree(instance.source, instance_root=instance.root).root
    return mask_instance(instance, tree), tree


@pytest.mark.parametrize("instance", _instances())
def test_masking_then_inserting_the_original_gives_back_the_file(instance: Instance) -> None:
    task, tree = _task(instance)
    for masked in task.files:
        original = (tree / masked.path).read_bytes()
        code = {i: reindent(masked.originals[i], masked.indents[i]) for i in masked.markers}
        assert insert_code(masked, code).text.encode("utf-8") == original, masked.path
    fitted = task.fit(task.reference_answer("vulnerable"))
    assert fitted.failure is None
    for path, insertion in fitted.insertions.items():
        assert insertion.text.encode("utf-8") == (tree / path).read_bytes(), path


@pytest.mark.parametrize("instance", _instances())
def test_inserting_the_gold_gives_a_file_that_parses(instance: Instance) -> None:
    """Wherever the original file parses (as the judge's syntax check requires too: a file
    tree-sitter cannot parse at all, such as cJSON.c, leaves syntax to the compiler)."""
    tree, task = open_instance(instance)  # golds derived from the fix where the record has none
    parses = {path: check_syntax((tree.root / path).read_text(encoding="utf-8"), task.language,
                                 path).ok for path in task.gold_files()}
    for path, text in task.gold_files().items():
        assert check_syntax(text, task.language, path).ok or not parses[path], path
    fitted = task.fit(task.reference_answer("reference"))
    assert fitted.failure is None
    for path, insertion in fitted.insertions.items():
        result = check_syntax(insertion.text, task.language, path)
        assert result.ok or not parses.get(path, True), f"{path}: {result.message}"
