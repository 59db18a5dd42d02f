"""Judge answers produced by any other tool (`asebench score --predictions FILE`).

The file is JSON Lines, one answer per line, as SWE-bench's predictions file is:

    {"instance_id": "sqlparse-CVE-2021-32839", "answer": "```python\\n# <MASKED REGION 1>…```",
     "cycle": 1}

`instance_id` and `answer` (the text a model would have returned: fenced blocks with their
marker lines) are required; `cycle` (a positive integer; default: the line's rank among the
lines of that instance) is optional; other keys (e.g. SWE-bench's `model_name_or_path`) are
ignored. Answers are judged
exactly as `run` judges a model's (`judge_stored_answer`: same parsing, rules, PoCs, tests).
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from asebench.checks.static import SemgrepBatcher
from asebench.dataset.errors import DatasetError, DatasetProblem
from asebench.dataset.loaded import LoadedDataset
from asebench.dataset.selection import select
from asebench.harness.prepare import judge_stored_answer
from asebench.opened_instance import instance_metadata
from asebench.results import JudgedSample

MAX_LINE_BYTES = 4 * 1024 * 1024
"""A prediction line longer than this (4 MiB) is refused as a whole."""


class PredictionsError(ValueError):
    """The predictions file cannot be used; the message names the file, line and field."""


@dataclass(frozen=True)
class Prediction:
    """One answer to judge: the instance, its cycle, the answer text."""

    instance_id: str
    cycle: int
    answer: str


def read_predictions(path: Path) -> list[Prediction]:
    """Every prediction of `path`. Raises `PredictionsError` "<file>:<line>: <field>: …" for
    the first bad line (not JSON, not an object, a missing or mistyped field, a repeated
    instance/cycle pair), and for a file that cannot be read or holds no prediction."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PredictionsError(f"{path}: cannot read: {exc.strerror}") from exc
    predictions: list[Prediction] = []
    ranks: Counter[str] = Counter()
    seen: set[tuple[str, int]] = set()
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        if len(line) > MAX_LINE_BYTES:
            raise PredictionsError(f"{where}: longer than {MAX_LINE_BYTES} bytes")
        try:
            record = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise PredictionsError(f"{where}: not a JSON object: {exc}") from exc
        if not isinstance(record, dict):
            raise PredictionsError(f"{where}: not a JSON object")
        prediction = _prediction(record, where, ranks)
        key = (prediction.instance_id, prediction.cycle)
        if key in seen:
            raise PredictionsError(f"{where}: cycle: {prediction.instance_id} cycle "
                                   f"{prediction.cycle} is given twice")
        seen.add(key)
        predictions.append(prediction)
    if not predictions:
        raise PredictionsError(f"{path}: holds no prediction")
    return predictions


def _prediction(record: dict[str, object], where: str, ranks: Counter[str]) -> Prediction:
    instance_id, answer = record.get("instance_id"), record.get("answer")
    if not isinstance(instance_id, str) or not instance_id.strip():
        raise PredictionsError(f"{where}: instance_id: required, a non-empty string")
    if not isinstance(answer, str):
        raise PredictionsError(f"{where}: answer: required, a string (the model's text)")
    ranks[instance_id] += 1
    cycle = record.get("cycle", ranks[instance_id])
    if not isinstance(cycle, int) or isinstance(cycle, bool) or cycle < 1:
        raise PredictionsError(f"{where}: cycle: a positive integer, not {cycle!r}")
    return Prediction(instance_id.strip(), cycle, answer)


async def _judge_all(predictions: list[Prediction], loaded: LoadedDataset, dynamic: bool
                     ) -> list[JudgedSample]:
    batcher = SemgrepBatcher()
    by_id = {instance.id: instance for instance in loaded.instances}

    async def one(prediction: Prediction) -> JudgedSample:
        metadata = instance_metadata(by_id[prediction.instance_id])
        verdict = await judge_stored_answer(metadata, prediction.answer, scanner=batcher.scan,
                                            dynamic=dynamic)
        return JudgedSample(prediction.instance_id, prediction.cycle, prediction.answer,
                            verdict, metadata)

    return list(await asyncio.gather(*(one(p) for p in predictions)))


def judge_predictions(predictions: list[Prediction], loaded: LoadedDataset, dataset: str, *,
                      dynamic: bool = True) -> list[JudgedSample]:
    """Judge every prediction against its instance of `loaded` (named `dataset` in errors).

    Raises `DatasetError` listing every instance id that is not in the dataset (with close
    matches) or did not load, before anything is judged."""
    chosen = select(loaded, sorted({p.instance_id for p in predictions}), dataset)
    if chosen.problems:
        raise DatasetError(chosen.problems)
    missing = {p.instance_id for p in predictions} - {i.id for i in chosen.instances}
    if missing:  # defensive: select names every unknown id
        raise DatasetError([DatasetProblem(m, None, "instance_id", "not loaded")
                            for m in sorted(missing)])
    return asyncio.run(_judge_all(predictions, chosen, dynamic))
