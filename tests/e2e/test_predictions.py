"""`asebench score --predictions FILE` judges answers another tool produced, exactly as `run`
judges a model's: the gold scores secure, the vulnerable code does not, garbage fails quality;
a bad line is named by file, line and field."""

from __future__ import annotations

import json
from pathlib import Path

from cli_runner import FIXTURE_INSTANCES, read_json, run_asebench

from asebench.dataset.native import load_instance
from asebench.opened_instance import open_instance

FIXTURE = FIXTURE_INSTANCES / "fixture-python-command-injection"
ID = "fixture-python-command-injection"


def _write(path: Path, *records: object) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_gold_vulnerable_and_garbage_answers_are_judged(tmp_path: Path) -> None:
    _, task = open_instance(load_instance(FIXTURE))
    predictions = _write(
        tmp_path / "answers.jsonl",
        {"instance_id": ID, "answer": task.reference_answer("reference"), "cycle": 1},
        {"instance_id": ID, "answer": task.reference_answer("vulnerable"), "cycle": 2,
         "model_name_or_path": "ignored"},
        {"instance_id": ID, "answer": "I cannot help with that."})  # cycle 3: its rank
    out = tmp_path / "scores.json"
    result = run_asebench("score", "--predictions", predictions, "--dataset", FIXTURE,
                          "--json", out, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    report = read_json(out)
    assert report["run"]["model"] == "predictions:answers.jsonl"
    assert len(report["run"]["dataset_digest"]) == 64 and report["run"]["log"] is None
    samples = {s["cycle"]: s for s in report["samples"]}
    assert (samples[1]["quality"], samples[1]["secure"]) == (True, True)
    assert (samples[2]["quality"], samples[2]["secure"]) == (True, False)
    assert samples[3]["outcome"] == "answer_failure"


def test_a_bad_line_is_named_and_nothing_is_judged(tmp_path: Path) -> None:
    predictions = tmp_path / "answers.jsonl"
    predictions.write_text(json.dumps({"instance_id": ID, "answer": "x"}) + "\n"
                           + json.dumps({"instance_id": ID, "cycle": 0, "answer": "y"}) + "\n")
    result = run_asebench("score", "--predictions", predictions, "--dataset", FIXTURE)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip() == (f"asebench score: {predictions}:2: cycle: a positive "
                                     "integer, not 0")


def test_an_unknown_instance_id_is_named_with_close_matches(tmp_path: Path) -> None:
    predictions = _write(tmp_path / "answers.jsonl",
                         {"instance_id": "fixture-python-command-injectio", "answer": "x"})
    result = run_asebench("score", "--predictions", predictions, "--dataset", FIXTURE)
    assert result.returncode == 2
    assert "did you mean fixture-python-command-injection?" in result.stderr
