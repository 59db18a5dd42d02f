"""The folder `asebench run` writes a run's report into names who answered: a model's plain
and coding-agent runs, and the baselines, never share a folder."""

from __future__ import annotations

from asebench.cli import run_folder_name
from asebench.report.evidence import slug


def test_an_agent_run_names_its_agent_after_the_model() -> None:
    assert slug(run_folder_name("openai/gpt-4o", None, "react")) == "openai_gpt-4o+react"
    assert slug(run_folder_name("openai/gpt-4o", None, None)) == "openai_gpt-4o"


def test_a_baseline_run_names_the_baseline() -> None:
    assert run_folder_name(None, "reference", None) == "baseline-reference"
    assert run_folder_name(None, "vulnerable", "mini-swe-agent") == (
        "baseline-vulnerable+mini-swe-agent")
