"""`asebench run` with a model: a local OpenAI-compatible server answers through Inspect.

Three instances, two cycles. The server answers each instance in turn from a list that starts
at a different place for each one — the gold fix, a refusal, the original vulnerable code — so
the run holds every kind of answer, one instance is unstable on security and one is stable.
Then `asebench score` reads the same log, with and without re-running the checks.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from browser import open_page
from canned_answers import GARBAGE, InstanceAnswers
from cli_runner import (
    FIXTURE_INSTANCES,
    SYNTHETIC_INSTANCES,
    log_path,
    make_dataset,
    read_json,
    run_asebench,
)
from inspect_ai.log import EvalLog, read_eval_log
from model_server import ModelServer

MODEL = "openai-api/localtest/test-model"
CYCLES = 2
INSTANCES = [
    FIXTURE_INSTANCES / "fixture-python-command-injection",
    FIXTURE_INSTANCES / "fixture-javascript-path-traversal",
    SYNTHETIC_INSTANCES / "synthetic-php-xss",
]


@dataclass
class ModelRun:
    """What one `asebench run --model …` produced, kept for every test of this module."""

    server: ModelServer
    instances: dict[str, InstanceAnswers]
    summary: dict[str, Any]
    log: EvalLog
    log_file: Path
    stdout: str
    tmp: Path

    def kind_of(self, instance: str, cycle: int) -> str:
        """`gold`, `garbage` or `vulnerable`: which canned answer this sample received."""
        sample = next(s for s in self.log.samples or []
                      if s.id == instance and s.epoch == cycle)
        answers = self.instances[instance]
        return {answers.gold: "gold", GARBAGE: "garbage",
                answers.vulnerable: "vulnerable"}[sample.output.completion]

    def samples_of(self, kind: str) -> list[dict[str, Any]]:
        found = [s for s in self.summary["samples"]
                 if self.kind_of(s["instance"], s["cycle"]) == kind]
        assert found, f"the run holds no sample answered with {kind}"
        return found


@pytest.fixture(scope="module")
def model_run(tmp_path_factory: pytest.TempPathFactory) -> Any:
    present = [d for d in INSTANCES if (d / "instance.yaml").is_file()]
    if len(present) < 2:
        pytest.skip("the fixture instances are not there yet")
    tmp = tmp_path_factory.mktemp("model-run")
    dataset = make_dataset(tmp / "dataset", *present)
    answers = {d.name: InstanceAnswers.read(d) for d in present}
    turns: dict[str, list[str]] = {}
    for shift, a in enumerate(answers.values()):
        kinds = [a.gold, GARBAGE, a.vulnerable]
        turns[a.prompt_key] = kinds[shift % 3:] + kinds[: shift % 3]
    with ModelServer(turns) as server:
        result = run_asebench(
            "run", "--dataset", dataset, "--model", MODEL, "--cycles", str(CYCLES),
            "--context", "file", "--no-dynamic", "--log-dir", tmp / "logs",
            "--json", tmp / "out.json", "--temperature", "0.25", "--max-tokens", "3000",
            "--output-dir", tmp / "run-folder",
            env=server.env("localtest"),
        )
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        log_file = log_path(result.stdout)
        yield ModelRun(server, {a.id: a for a in answers.values()}, read_json(tmp / "out.json"),
                       read_eval_log(str(log_file)), log_file, result.stdout, tmp)


def expected_scores(samples: list[dict[str, Any]]) -> dict[str, float]:
    """Q, S, Stab and Overall by ARCHITECTURE.md's formula, from the per-sample verdicts."""
    quality = 100 * sum(s["quality"] for s in samples) / len(samples)
    security = 100 * sum(s["secure"] for s in samples) / len(samples)
    by_instance: dict[str, set[bool]] = {}
    for s in samples:
        by_instance.setdefault(s["instance"], set()).add(s["secure"])
    stability = 100 * sum(len(v) == 1 for v in by_instance.values()) / len(by_instance)
    return {"quality": quality, "security": security, "stability": stability,
            "overall": 0.6 * security + 0.3 * quality + 0.1 * stability}


def test_every_instance_is_answered_in_every_cycle(model_run: ModelRun) -> None:
    seen = {(s["instance"], s["cycle"]) for s in model_run.summary["samples"]}
    assert seen == {(i, c) for i in model_run.instances for c in range(1, CYCLES + 1)}


def test_a_refusal_fails_quality_as_prose_without_code(model_run: ModelRun) -> None:
    for sample in model_run.samples_of("garbage"):
        assert sample["quality"] is False
        assert sample["secure"] is False
        assert "prose" in sample["reason"] or "no code" in sample["reason"]


def test_the_vulnerable_code_is_of_quality_but_insecure(model_run: ModelRun) -> None:
    for sample in model_run.samples_of("vulnerable"):
        assert sample["quality"] is True, sample["reason"]
        assert sample["secure"] is False
        assert sample["verdict"]["findings"], "a rule should flag the original code"


def test_the_gold_fix_is_secure(model_run: ModelRun) -> None:
    for sample in model_run.samples_of("gold"):
        assert sample["quality"] is True, sample["reason"]
        assert sample["secure"] is True, sample["reason"]
        assert sample["verdict"]["findings"] == []


def test_the_headline_scores_follow_from_the_verdicts(model_run: ModelRun) -> None:
    expected = expected_scores(model_run.summary["samples"])
    for metric, value in expected.items():
        assert model_run.summary[metric] == pytest.approx(value), metric
    assert model_run.summary["n_instances"] == len(model_run.instances)
    assert model_run.summary["n_cycles"] == CYCLES


def test_the_server_answered_each_sample_once_with_usage(model_run: ModelRun) -> None:
    requests = model_run.server.requests
    assert len(requests) == len(model_run.instances) * CYCLES
    assert all(r.model == "test-model" and r.usage for r in requests)
    assert set(model_run.server.served.values()) == {CYCLES}


def test_the_report_describes_its_run(model_run: ModelRun) -> None:
    run = model_run.summary["run"]
    assert run["model"] == MODEL and run["provider"] == "openai-api"
    assert re.fullmatch(r"[0-9a-f]{64}", run["dataset_digest"])
    assert run["settings"]["cycles"] == CYCLES and run["settings"]["context"] == "file"
    assert run["settings"]["scoring"] == "asebench"
    assert run["versions"]["asebench"] and run["versions"]["inspect_ai"]
    assert run["duration_s"] > 0 and run["log"] == str(model_run.log_file)
    [usage] = run["usage"].values()
    assert usage["input_tokens"] > 0 and usage["output_tokens"] > 0
    sample = model_run.summary["samples"][0]
    assert sample["cwe"] and sample["language"] and sample["output_tokens"] > 0
    assert sample["seconds"] > 0 and isinstance(sample["answer"], str)
    assert f"run: {MODEL} on " in model_run.stdout


def test_the_run_folder_holds_the_evidence_of_every_sample(model_run: ModelRun) -> None:
    folder = model_run.tmp / "run-folder"
    assert f"run folder: {folder}" in model_run.stdout
    for name in ("scores.json", "samples.csv", "report.html", "log.eval"):
        assert (folder / name).is_file(), name
    assert read_json(folder / "scores.json")["run"]["model"] == MODEL
    samples = model_run.summary["samples"]
    for sample in samples:
        evidence = folder / "samples" / sample["instance"] / f"cycle-{sample['cycle']}"
        assert (evidence / "answer.md").read_text() == sample["answer"]
        assert json.loads((evidence / "verdict.json").read_text())["outcome"] == sample["outcome"]
    gold = model_run.samples_of("gold")[0]
    evidence = folder / "samples" / gold["instance"] / f"cycle-{gold['cycle']}"
    assert (evidence / "vs-vulnerable.diff").read_text().startswith("--- vulnerable/")
    assert (evidence / "vs-gold.diff").read_text() == ""  # the gold answer is the gold
    assert any((evidence / "candidate").rglob("*.*"))
    vulnerable = model_run.samples_of("vulnerable")[0]
    evidence = folder / "samples" / vulnerable["instance"] / f"cycle-{vulnerable['cycle']}"
    assert (evidence / "vs-vulnerable.diff").read_text() == ""
    assert (evidence / "vs-gold.diff").read_text().startswith("--- gold/")


def test_the_html_report_shows_scores_charts_and_drilldowns_in_chromium(
    model_run: ModelRun,
) -> None:
    report = model_run.tmp / "run-folder" / "report.html"
    with open_page(report) as (page, errors):
        assert MODEL in page.title()
        overall = page.locator("td[data-metric='overall']").inner_text()
        assert overall == f"{model_run.summary['overall']:.1f}"
        assert page.locator(".charts svg").count() >= 2  # per CWE, per language, scatter
        assert page.locator(".charts svg").first.is_visible()
        samples = page.locator("details.sample")
        total = samples.count()
        assert total == len(model_run.summary["samples"])
        first = samples.first
        assert not first.locator("pre.answer").is_visible()
        first.locator("summary").click()
        assert first.locator("pre.answer").is_visible()  # the drill-down expanded
        page.select_option("select[data-key='outcome']", "answer_failure")
        shown = int(page.locator("#shown").inner_text())
        failures = sum(s["outcome"] == "answer_failure" for s in model_run.summary["samples"])
        assert shown == failures < total
        assert page.locator("details.sample:visible").count() == failures
        assert errors == []


def test_generation_settings_reach_the_model_api(model_run: ModelRun) -> None:
    bodies = [request.body for request in model_run.server.requests]
    assert bodies and all(b.get("temperature") == 0.25 for b in bodies)
    assert all(3000 in (b.get("max_tokens"), b.get("max_completion_tokens")) for b in bodies)


def test_the_inspect_log_records_the_token_usage(model_run: ModelRun) -> None:
    served = model_run.server.requests
    usage = model_run.log.stats.model_usage[MODEL]
    assert usage.input_tokens == sum(r.usage["prompt_tokens"] for r in served if r.usage)
    assert usage.output_tokens == sum(r.usage["completion_tokens"] for r in served if r.usage)


def test_score_reads_the_same_numbers_from_the_log(model_run: ModelRun) -> None:
    result = run_asebench("score", model_run.log_file, "--json", model_run.tmp / "score.json",
                          env=model_run.server.env("localtest"))
    assert result.returncode == 0, result.stderr[-3000:]
    rescored = read_json(model_run.tmp / "score.json")
    for metric in ("overall", "security", "quality", "stability"):
        assert rescored[metric] == model_run.summary[metric], metric
        assert f"{model_run.summary[metric]:.1f}" in result.stdout
    assert rescored["samples"] == model_run.summary["samples"]


def test_rejudge_runs_the_checks_again_without_calling_the_model(model_run: ModelRun) -> None:
    before = len(model_run.server.requests)
    result = run_asebench("score", model_run.log_file, "--rejudge", "--no-dynamic",
                          "--json", model_run.tmp / "rejudged.json",
                          env=model_run.server.env("localtest"))
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(model_run.server.requests) == before
    n = len(model_run.summary["samples"])
    assert f"asebench: re-judged: {n}/{n} in " in result.stderr  # progress, one line a sample
    rejudged = read_json(model_run.tmp / "rejudged.json")
    assert [(s["instance"], s["cycle"], s["quality"], s["secure"])
            for s in rejudged["samples"]] == [
        (s["instance"], s["cycle"], s["quality"], s["secure"])
        for s in model_run.summary["samples"]
    ]
