"""The run summary in a terminal 80 columns wide, as a new user first reads it: ids are never
cut, a cut reason says so, a figure that cannot be computed is not printed as "—%", and a
one-cycle run says why its stability is 100."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console

from asebench.report.terminal import print_summary

LONG_ID = "golang-x-net-html-CVE-2025-22872"
REASON = ("functional test failed: sqlparse.format: raised NameError: name "
          "'_get_insert_token' is not defined in the candidate's module")


def _summary(*, cycles: int, agreement: float | None) -> dict[str, Any]:
    """A summary of two samples (the keys `report.summary.summarise` writes)."""
    part = {"n_instances": 1, "overall": 10.0, "security": 0.0, "quality": 0.0,
            "stability": 100.0}
    return {
        "mode": "asebench", "overall": 10.0, "security": 0.0, "quality": 0.0,
        "stability": 100.0, "ci95": {}, "n_instances": 2, "n_cycles": cycles,
        "n_samples": 2, "n_unjudged": 0, "n_answer_failures": 0, "n_truncated": 0,
        "n_infra_errors": 0, "n_stability_instances": 2, "static_dynamic_agreement": agreement,
        "secure_at_k": {}, "unjudged": [], "by_cwe": {"CWE-79": part},
        "by_language": {"go": part}, "by_origin": {"real": part},
        "agreement_by_instance": {LONG_ID: {"samples": 1, "agreement": 100.0,
                                            "static_only": 0, "dynamic_only": 0}},
        "samples": [
            {"instance": LONG_ID, "cycle": 1, "quality": False, "secure": False,
             "reason": REASON},
            {"instance": "sqlparse-CVE-2021-32839", "cycle": 1, "quality": False,
             "secure": False, "reason": "answer is prose with no code"},
        ],
    }


def _printed(summary: dict[str, Any]) -> str:
    out = io.StringIO()
    print_summary(summary, Console(file=out, width=80, no_color=True))
    return out.getvalue()


def _first_column(text: str) -> str:
    """The first cells of every table row, joined: an id rich folded onto several lines
    comes back whole."""
    return "".join(line.split("│")[1].strip() for line in text.splitlines()
                   if line.startswith("│"))


def test_a_long_instance_id_is_folded_never_cut() -> None:
    text = _printed(_summary(cycles=3, agreement=100.0))
    assert f"{LONG_ID[:15]}…" not in text and "CVE-2025-2…" not in text
    assert _first_column(text).count(LONG_ID) == 2  # the agreement and samples tables


def test_a_long_reason_is_cut_with_an_ellipsis_at_a_word() -> None:
    text = _printed(_summary(cycles=3, agreement=100.0))
    assert "…" in text
    assert "module" not in text  # the reason's last word is past 90 characters


def test_an_agreement_nothing_could_measure_is_not_a_percentage() -> None:
    text = " ".join(_printed(_summary(cycles=3, agreement=None)).split())
    assert "—%" not in text
    assert "static/dynamic agreement n/a (no sample had both a rule and a PoC verdict)" in text


def test_a_one_cycle_run_says_its_stability_is_100_by_construction() -> None:
    one = " ".join(_printed(_summary(cycles=1, agreement=100.0)).split())
    assert "stability is 100 by construction" in one
    three = " ".join(_printed(_summary(cycles=3, agreement=100.0)).split())
    assert "by construction" not in three
