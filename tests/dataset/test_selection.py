"""Choosing instances by id, as the command line and Inspect's `-T instances=…` give them."""

from __future__ import annotations

from asebench.dataset.errors import DatasetProblem
from asebench.dataset.loaded import LoadedDataset
from asebench.dataset.schema import Instance
from asebench.dataset.selection import select, wanted_ids


def test_ids_come_as_a_comma_separated_string_or_as_inspects_list() -> None:
    assert wanted_ids("a, b,,a") == ["a", "b"]
    assert wanted_ids(["a", "b,c"]) == ["a", "b", "c"]
    assert wanted_ids(None) == [] and wanted_ids("") == []


def _instance(name: str) -> Instance:
    return Instance.model_validate({
        "id": name, "cwe": "CWE-78", "language": "python", "description": "d",
        "source": {"kind": "local", "path": "p"},
        "locations": [{"file": "f.py", "start": 1, "end": 1}]})


def test_unknown_ids_are_problems_with_close_matches_and_other_problems_are_dropped() -> None:
    loaded = LoadedDataset(
        instances=[_instance("django-CVE-2021-33203"), _instance("sqlparse-CVE-2021-32839")],
        problems=[DatasetProblem("broken", None, "rules", "unreadable")])
    chosen = select(loaded, ["django-CVE-2021-3320", "sqlparse-CVE-2021-32839"], "builtin")
    assert [i.id for i in chosen.instances] == ["sqlparse-CVE-2021-32839"]
    [problem] = chosen.problems
    assert problem.field == "instances"
    assert problem.message == ("no instance 'django-CVE-2021-3320' in builtin; "
                               "did you mean django-CVE-2021-33203?")
    assert select(loaded, None, "builtin") is loaded
