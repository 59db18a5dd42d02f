"""The run summary as files: one CSV row per sample, and a self-contained HTML page."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from asebench.report.html_report import render_report

SAMPLE_COLUMNS = ("instance", "cycle", "cwe", "language", "severity", "outcome", "quality",
                  "secure", "static_secure", "dynamic_secure", "rules", "poc", "test",
                  "truncated", "stop_reason", "input_tokens", "output_tokens", "seconds",
                  "infra_error", "reason")



def write_csv(summary: dict[str, Any], path: Path) -> None:
    """One row per sample (instance x cycle) with its verdict and the reason."""
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=("model", *SAMPLE_COLUMNS),
                                extrasaction="ignore")
        writer.writeheader()
        model = (summary.get("run") or {}).get("model")
        for row in summary["samples"]:
            writer.writerow({**row, "model": model, "rules": " ".join(row.get("rules") or [])})


def render_html(summary: dict[str, Any]) -> str:
    """The run's self-contained HTML report (`report.html_report`)."""
    return render_report(summary)


def write_html(summary: dict[str, Any], path: Path) -> None:
    path.write_text(render_html(summary), encoding="utf-8")
