"""The run summary as files: one CSV row per sample, and a self-contained HTML page."""

from __future__ import annotations

import csv
import html
from pathlib import Path
from typing import Any

SAMPLE_COLUMNS = ("instance", "cycle", "cwe", "language", "severity", "outcome", "quality",
                  "secure", "static_secure", "dynamic_secure", "rules", "poc", "test",
                  "truncated", "stop_reason", "input_tokens", "output_tokens", "seconds",
                  "infra_error", "reason")
RUN_FIELDS = ("model", "provider", "dataset", "dataset_digest", "started_at", "completed_at",
              "duration_s", "log")
COUNTS = (("samples", "n_samples"), ("unjudged (not in S, Stab)", "n_unjudged"),
          ("infrastructure failures (not counted)", "n_infra_errors"),
          ("answer failures", "n_answer_failures"), ("cut at the token limit", "n_truncated"),
          ("instances in stability", "n_stability_instances"))


def write_csv(summary: dict[str, Any], path: Path) -> None:
    """One row per sample (instance x cycle) with its verdict and the reason."""
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=("model", *SAMPLE_COLUMNS),
                                extrasaction="ignore")
        writer.writeheader()
        model = (summary.get("run") or {}).get("model")
        for row in summary["samples"]:
            writer.writerow({**row, "model": model, "rules": " ".join(row.get("rules") or [])})


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.1f}"
    if value is None:
        return "—"
    return html.escape(str(value))


def _table(title: str, header: list[str], rows: list[list[object]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>"
                   for row in rows)
    return f"<h2>{html.escape(title)}</h2><table><tr>{head}</tr>{body}</table>"


def render_html(summary: dict[str, Any]) -> str:
    """A page with the headline scores, the breakdowns and every sample (all text escaped:
    model answers and reasons are untrusted)."""
    interval = summary.get("ci95", {})
    headline = [[key, summary[key], " – ".join(f"{x:.1f}" for x in interval.get(key, []))]
                for key in ("overall", "security", "quality", "stability")]
    run = summary.get("run") or {}
    described = [[name, run.get(name)] for name in RUN_FIELDS]
    described += [[f"setting {k}", v] for k, v in (run.get("settings") or {}).items()]
    described += [[f"version {k}", v] for k, v in (run.get("versions") or {}).items()]
    described += [[f"tokens {m}", f"{u.get('input_tokens')} in / {u.get('output_tokens')} out"]
                  for m, u in (run.get("usage") or {}).items()]
    parts = [_table("run", ["field", "value"], described),
             _table(f"asebench scores ({summary['mode']} scoring, 0–100)",
                    ["metric", "value", "95% CI"], headline),
             _table("samples by outcome", ["count", "n"],
                    [[name, summary.get(key, 0)] for name, key in COUNTS])]
    if summary.get("unjudged"):
        parts.append(_table("unjudged samples", ["instance", "cycle", "why"],
                            [[u["instance"], u["cycle"], u["reason"]]
                             for u in summary["unjudged"]]))
    for title, key in (("by CWE", "by_cwe"), ("by language", "by_language"),
                       ("by severity", "by_severity"), ("real vs synthetic", "by_origin")):
        parts.append(_table(title, ["group", "instances", "overall", "security", "quality",
                                    "stability"],
                            [[name, g["n_instances"], g["overall"], g["security"], g["quality"],
                              g["stability"]] for name, g in summary[key].items()]))
    parts.append(_table("samples", list(SAMPLE_COLUMNS),
                        [[row.get(c) for c in SAMPLE_COLUMNS] for row in summary["samples"]]))
    style = ("body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;"
             "margin-bottom:1.5em}td,th{border:1px solid #ccc;padding:.25em .6em;"
             "text-align:left}th{background:#eee}")
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>asebench</title>"
            f"<style>{style}</style></head><body>{''.join(parts)}</body></html>")


def write_html(summary: dict[str, Any], path: Path) -> None:
    path.write_text(render_html(summary), encoding="utf-8")
