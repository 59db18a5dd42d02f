"""A run says what it does from its first line on (before Inspect loads), and one line per
prepared instance, so a cold start is never silent."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from cli_runner import ASEBENCH, FIXTURE_INSTANCES, make_dataset, run_asebench

from asebench.harness.overlap import JOBS_ENV


def test_a_run_reports_progress_from_its_first_line(tmp_path: Path) -> None:
    dataset = make_dataset(tmp_path / "dataset",
                           FIXTURE_INSTANCES / "fixture-python-command-injection")
    done = run_asebench("run", "--dataset", dataset, "--baseline", "reference", "--cycles",
                        "1", "--no-dynamic", "--log-dir", tmp_path / "logs",
                        "--output-dir", tmp_path / "run")
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [line for line in done.stderr.splitlines() if line.startswith("asebench: ")]
    assert lines[0] == f"asebench: run: the reference baseline on {dataset}; loading Inspect"
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


def test_every_preparation_line_comes_before_inspect_starts(tmp_path: Path) -> None:
    """Both streams in one pipe, unbuffered, so the order read is the order written: the run
    line comes first, then what is loaded, then which instances are prepared and how many at
    once, one line per instance as it ends; only then does Inspect print anything."""
    dataset = make_dataset(tmp_path / "dataset",
                           FIXTURE_INSTANCES / "fixture-javascript-path-traversal",
                           FIXTURE_INSTANCES / "fixture-python-command-injection")
    done = subprocess.run(
        [str(ASEBENCH), "run", "--dataset", str(dataset), "--baseline", "reference",
         "--cycles", "1", "--no-dynamic", "--log-dir", str(tmp_path / "logs"),
         "--output-dir", str(tmp_path / "run")],
        cwd=tmp_path, env={**os.environ, "PYTHONUNBUFFERED": "1", "NO_COLOR": "1",
                           JOBS_ENV: "1"},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout[-2000:]
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    assert lines[0] == f"asebench: run: the reference baseline on {dataset}; loading Inspect"
    preparing = ("asebench: preparing 2 instance(s), up to 1 at once (sources are fetched and "
                 "unpacked on first use, then cached): fixture-javascript-path-traversal, "
                 "fixture-python-command-injection")
    assert preparing in lines
    end = next(n for n, line in enumerate(lines) if line.startswith("asebench: prepared: "))
    assert lines[end].startswith("asebench: prepared: 2/2 in ")
    said = lines[:end + 1]
    assert all(line.startswith("asebench: ") for line in said)  # Inspect has said nothing yet
    assert said.index(preparing) > said.index(f"asebench: loading dataset {dataset}")
    prepared = [n for n, line in enumerate(said) if line.startswith("asebench: prepared ")]
    assert len(prepared) == 2 and min(prepared) > said.index(preparing)
    assert any(not line.startswith("asebench: ") for line in lines[end + 1:])  # Inspect's


def test_a_bad_preparation_jobs_value_stops_the_run_in_one_line(tmp_path: Path) -> None:
    done = run_asebench("run", "--baseline", "reference", "--cycles", "1", "--log-dir",
                        tmp_path / "logs", env={JOBS_ENV: "zero"})
    assert done.returncode == 2
    assert done.stderr.strip() == ("asebench run: ASEBENCH_PREPARE_JOBS must be a positive "
                                   "integer, got 'zero'")
