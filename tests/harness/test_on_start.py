"""Inspect's own `--sample-id` and `--limit` prepare only the samples they select: the task
prepares an instance when its first sample starts (`harness/on_start.py`).

The dataset holds one real fixture instance and two copies whose local source folder does not
exist: fetching either fails, so a run that touched them could not succeed."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from inspect_ai import eval as inspect_eval
from inspect_ai.log import EvalLog

from asebench.dataset.errors import DatasetError
from asebench.dataset.load import load_dataset
from asebench.harness.task import ase
from asebench.opened_instance import instance_metadata, open_instance

FIXTURE = Path(__file__).parents[1] / "fixtures" / "instances" / "fixture-python-command-injection"
REAL = FIXTURE.name
UNFETCHABLE = ("fixture-unfetchable-1", "fixture-unfetchable-2")  # after REAL in dataset order


def three_instances(root: Path) -> Path:
    """REAL, then two instances whose `source.path` names a folder that is not there."""
    shutil.copytree(FIXTURE, root / REAL)
    for name in UNFETCHABLE:
        shutil.copytree(FIXTURE, root / name)
        shutil.rmtree(root / name / "project")
        record = root / name / "instance.yaml"
        record.write_text(record.read_text().replace(f"id: {REAL}", f"id: {name}"))
    return root


def verdicts(log: EvalLog) -> list[dict[str, Any]]:
    return [sample.scores["ase_scorer"].metadata["verdict"]  # type: ignore[index]
            for sample in log.samples or []]


def run(dataset: Path, logs: Path, *, dynamic: bool, **selection: Any) -> EvalLog:
    built = ase(dataset=str(dataset), cycles=2, baseline="reference", dynamic=dynamic)
    [log] = inspect_eval(built, model="none/none", display="none", log_dir=str(logs),
                         **selection)
    return log


def test_the_unfetchable_instances_fail_when_prepared_ahead(tmp_path: Path) -> None:
    dataset = three_instances(tmp_path / "dataset")
    with pytest.raises(DatasetError) as raised:
        ase(dataset=str(dataset), cycles=1, baseline="reference", prefetch=True)
    assert {p.instance for p in raised.value.problems} == set(UNFETCHABLE)


def test_sample_id_prepares_and_judges_only_the_selected_instance(tmp_path: Path) -> None:
    dataset = three_instances(tmp_path / "dataset")
    log = run(dataset, tmp_path / "logs", dynamic=True, sample_id=REAL)
    assert log.status == "success", log.error
    judged = verdicts(log)
    assert [v["instance"] for v in judged] == [REAL, REAL]  # two cycles
    # the PoC and test ran in the sandbox the sample's start made, and found it secure
    assert all(v["infra_error"] is None and v["poc"] is not None for v in judged), judged
    assert log.results is not None
    metrics = {name: m.value for s in log.results.scores for name, m in s.metrics.items()}
    assert metrics["security"] == 100.0 and metrics["quality"] == 100.0


def test_the_prompt_and_opened_record_replace_the_placeholder(tmp_path: Path) -> None:
    dataset = three_instances(tmp_path / "dataset")
    log = run(dataset, tmp_path / "logs", dynamic=False, limit=1)
    assert log.status == "success", log.error
    [first, second] = log.samples or []
    assert first.id == second.id == REAL
    assert "the prompt is built when the sample starts" in str(first.input)
    prompt = first.messages[1].text
    assert "linecount.py" in prompt and "the prompt is built" not in prompt
    # the record the scorer judged by is the opened one, as a prepared-ahead sample holds it
    [loaded] = [i for i in load_dataset(str(dataset)).instances if i.id == REAL]
    _, task = open_instance(loaded)
    assert first.metadata["instance"] == instance_metadata(task.instance)["instance"]


def test_an_instance_that_cannot_be_prepared_is_an_infrastructure_failure(
    tmp_path: Path,
) -> None:
    dataset = three_instances(tmp_path / "dataset")
    log = run(dataset, tmp_path / "logs", dynamic=False, sample_id=UNFETCHABLE[0])
    judged = verdicts(log)
    assert len(judged) == 2
    assert all(v["infra_error"].startswith("preparing the instance: SourceError")
               for v in judged), judged
