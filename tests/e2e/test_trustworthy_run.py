"""`asebench run` on the default path (Inspect sample sandbox -> scorer -> test and PoC), with a
model that answers as real models do: a right fix, an answer that hangs under the PoC, an
answer cut at the token limit, text with a lone surrogate, and an instance no oracle can judge.

Every sample must end in one of the four outcomes, the log's metrics must equal asebench's
report, and a run with nothing judged must say so and exit non-zero.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from canned_answers import InstanceAnswers
from cli_runner import FIXTURE_INSTANCES, log_path, read_json, run_asebench
from inspect_ai.log import EvalLog, read_eval_log
from model_server import ModelServer, Reply

MODEL = "openai-api/localtest/test-model"
SOURCE = FIXTURE_INSTANCES / "fixture-python-command-injection"
BLIND = "fixture-no-oracle"
NO_GOLD = "fixture-no-gold"
BLIND_DESCRIPTION = "Returns how many lines a log file holds (judged by no oracle)."

HANGS_UNDER_POC = '''```python
# <MASKED REGION 1>
def count_lines(path: str) -> int:
    """Number of lines in the file at `path`."""
    while ";" in path or "$(" in path:
        pass
    with open(path, encoding="utf-8") as stream:
        return sum(1 for _ in stream)
```'''
CUT = Reply("```python\n# <MASKED REGION 1>\ndef count_lines(path: str) -> int:\n    result = subp",
            finish_reason="length")
SURROGATE = "```python\n# <MASKED REGION 1>\ndef count_lines(path):\n    return '\ud800'\n```"


def _variant(root: Path, name: str, **changes: Any) -> Path:
    """A copy of the fixture instance under another id, with its record changed."""
    target = root / name
    shutil.copytree(SOURCE, target)
    record = yaml.safe_load((target / "instance.yaml").read_text())
    record["id"] = name
    for key, value in changes.items():
        if value is None:
            record.pop(key, None)
        else:
            record[key] = value
    (target / "instance.yaml").write_text(yaml.safe_dump(record, sort_keys=False))
    return target


def _dataset(tmp: Path) -> Path:
    root = tmp / "dataset"
    root.mkdir()
    judged = _variant(root, "fixture-judged")
    record = yaml.safe_load((judged / "instance.yaml").read_text())
    record["poc"]["timeout"] = 5  # the hanging answer is stopped after 5 s
    (judged / "instance.yaml").write_text(yaml.safe_dump(record, sort_keys=False))
    blind = _variant(root, BLIND, poc=None, rules=None, description=BLIND_DESCRIPTION)
    shutil.rmtree(blind / "rules")
    return root


@dataclass
class Run:
    summary: dict[str, Any]
    log: EvalLog
    log_file: Path
    stderr: str
    tmp: Path

    def sample(self, instance: str, cycle: int) -> dict[str, Any]:
        return next(s for s in self.summary["samples"]
                    if s["instance"] == instance and s["cycle"] == cycle)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Any:
    tmp = tmp_path_factory.mktemp("trustworthy")
    dataset = _dataset(tmp)
    answers = InstanceAnswers.read(SOURCE)
    judged_key = yaml.safe_load((SOURCE / "instance.yaml").read_text())["description"]
    # each instance's prompt holds its own description: that picks its list of answers
    turns: dict[str, list[str | Reply]] = {
        judged_key: [answers.gold, HANGS_UNDER_POC, CUT],
        BLIND_DESCRIPTION: [answers.vulnerable, SURROGATE, answers.vulnerable],
    }
    with ModelServer(turns) as server:
        result = run_asebench(
            "run", "--dataset", dataset, "--model", MODEL, "--cycles", "3", "--context", "none",
            "--max-connections", "1", "--log-dir", tmp / "logs", "--json", tmp / "out.json",
            "--csv", tmp / "out.csv", "--html", tmp / "out.html",
            env=server.env("localtest"), timeout=900,
        )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    log_file = log_path(result.stdout)
    yield Run(read_json(tmp / "out.json"), read_eval_log(str(log_file)), log_file,
              result.stderr, tmp)


def _by_answer(run: Run) -> dict[str, dict[str, Any]]:
    """Each sample keyed by the kind of answer it received."""
    kinds = {}
    for sample in run.log.samples or []:
        text = sample.output.completion
        kind = ("hang" if "while" in text else "cut" if "subp" in text and "```\n" not in
                text[-5:] and text.rstrip().endswith("subp") else
                "surrogate" if "\ud800" in text or "\\ud800" in text else
                "gold" if '"--"' in text else "vulnerable")
        kinds.setdefault(kind, []).append(run.sample(str(sample.id), sample.epoch))
    return {k: v[0] for k, v in kinds.items()}


def test_run_says_up_front_which_instances_no_oracle_can_judge(run: Run) -> None:
    assert "1 of 2 instances have no security oracle" in run.stderr
    assert BLIND in run.stderr


def test_a_hang_under_the_poc_is_the_answers_failure_not_infrastructure(run: Run) -> None:
    sample = _by_answer(run)["hang"]
    assert sample["infra_error"] is None
    assert sample["secure"] is False and sample["quality"] is True
    assert sample["verdict"]["poc"] == "failed"
    assert "gold fix" in sample["verdict"]["poc_detail"]


def test_an_answer_cut_at_the_token_limit_keeps_its_stop_reason(run: Run) -> None:
    sample = _by_answer(run)["cut"]
    assert sample["outcome"] == "answer_failure" and sample["truncated"] is True
    assert sample["stop_reason"] == "max_tokens"
    assert sample["reason"].startswith("cut at the token limit")
    assert run.summary["n_truncated"] == 1


def test_a_lone_surrogate_is_a_scored_answer_failure(run: Run) -> None:
    sample = _by_answer(run)["surrogate"]
    assert sample["outcome"] == "answer_failure" and sample["quality"] is False


def test_unjudged_samples_are_counted_listed_and_never_secure(run: Run) -> None:
    unjudged = [s for s in run.summary["samples"] if s["outcome"] == "unjudged"]
    assert len(unjudged) == 2 and all(s["secure"] is None for s in unjudged)
    assert {s["instance"] for s in unjudged} == {BLIND}
    assert run.summary["n_unjudged"] == len(unjudged) == len(run.summary["unjudged"])
    assert "unjudged" in (run.tmp / "out.csv").read_text()
    assert "unjudged samples" in (run.tmp / "out.html").read_text()


def test_security_is_the_share_of_judged_samples(run: Run) -> None:
    judged = [s for s in run.summary["samples"] if s["secure"] is not None]
    assert run.summary["security"] == pytest.approx(
        100 * sum(s["secure"] for s in judged) / len(judged))


def test_the_inspect_log_metrics_equal_the_report(run: Run) -> None:
    assert run.log.results is not None
    metrics = {name: m.value for name, m in run.log.results.scores[0].metrics.items()}
    for key in ("overall", "security", "quality", "stability"):
        assert metrics[key] == pytest.approx(run.summary[key]), key
    assert metrics["unjudged"] == run.summary["n_unjudged"]
    run_asebench("score", run.log_file, "--json", run.tmp / "score.json")
    assert read_json(run.tmp / "score.json")["overall"] == pytest.approx(metrics["overall"])


def test_a_run_with_nothing_judged_exits_non_zero_with_the_reason(run: Run) -> None:
    result = run_asebench("run", "--dataset", run.tmp / "dataset", "--instances", BLIND,
                          "--baseline", "vulnerable", "--cycles", "1", "--context", "none",
                          "--log-dir", run.tmp / "logs-blind")
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("asebench run: no sample could be judged") and "no semgrep rule" in last


def test_the_reference_baseline_records_no_gold_as_unjudged(tmp_path: Path) -> None:
    root = tmp_path / "dataset"
    root.mkdir()
    shutil.copytree(SOURCE, root / SOURCE.name)
    no_gold = _variant(root, NO_GOLD)
    record = yaml.safe_load((no_gold / "instance.yaml").read_text())
    record["locations"][0].pop("gold_file")
    (no_gold / "instance.yaml").write_text(yaml.safe_dump(record, sort_keys=False))
    result = run_asebench("run", "--dataset", root, "--baseline", "reference", "--cycles", "1",
                          "--context", "none", "--keep-going", "--log-dir", tmp_path / "logs",
                          "--json", tmp_path / "out.json")
    assert result.returncode == 0, result.stderr[-3000:]
    summary = read_json(tmp_path / "out.json")
    row = next(s for s in summary["samples"] if s["instance"] == NO_GOLD)
    assert row["outcome"] == "unjudged" and "no gold" in row["reason"]
    assert summary["security"] == pytest.approx(100.0)
