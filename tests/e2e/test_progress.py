"""A run says what it does from its first line on (before Inspect loads), and one line per
prepared instance, so a cold start is never silent."""

from __future__ import annotations

from pathlib import Path

from cli_runner import FIXTURE_INSTANCES, make_dataset, run_asebench

from asebench.harness.overlap import JOBS_ENV


def test_a_run_reports_progress_from_its_first_line(tmp_path: Path) -> None:
    dataset = make_dataset(tmp_path / "dataset",
                           FIXTURE_INSTANCES / "fixture-python-command-injection")
    done = run_asebench("run", "--dataset", dataset, "--baseline", "reference", "--cycles",
                        "1", "--no-dynamic", "--log-dir", tmp_path / "logs",
                        "--output-dir", tmp_path / "run")
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [line for line in done.stderr.splitlines() if line.startswith("asebench: ")]
    assert lines[0] == f"asebench: run: the reference baseline on {dataset}; starting Inspect"
    assert lines[1] == f"asebench: loading dataset {dataset}"
    assert any(line.startswith("asebench: prepared 1/1: fixture-python-command-injection (")
               for line in lines)
    assert lines.index(next(x for x in lines if x.startswith("asebench: prepared 1/1"))) > 1


def test_limit_prepares_only_the_instances_it_keeps(tmp_path: Path) -> None:
    dataset = make_dataset(tmp_path / "dataset",
                           FIXTURE_INSTANCES / "fixture-javascript-path-traversal",
                           FIXTURE_INSTANCES / "fixture-python-command-injection")
    done = run_asebench("run", "--dataset", dataset, "--baseline", "reference", "--cycles",
                        "1", "--no-dynamic", "--limit", "1", "--log-dir", tmp_path / "logs",
                        "--output-dir", tmp_path / "run")
    assert done.returncode == 0, done.stderr[-2000:]
    prepared = [line for line in done.stderr.splitlines()
                if line.startswith("asebench: prepared 1/")]
    assert len(prepared) == 1 and prepared[0].startswith("asebench: prepared 1/1: ")
    assert (tmp_path / "run" / "samples").is_dir()
    assert len(list((tmp_path / "run" / "samples").iterdir())) == 1


def test_a_bad_preparation_jobs_value_stops_the_run_in_one_line(tmp_path: Path) -> None:
    done = run_asebench("run", "--baseline", "reference", "--cycles", "1", "--log-dir",
                        tmp_path / "logs", env={JOBS_ENV: "zero"})
    assert done.returncode == 2
    assert done.stderr.strip() == ("asebench run: ASEBENCH_PREPARE_JOBS must be a positive "
                                   "integer, got 'zero'")
