"""The run summary as terminal tables (rich)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from asebench.report.notes import stability_note
from asebench.report.run_info import headline


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _yes_no(value: bool | None) -> str:
    return "—" if value is None else "yes" if value else "no"


def _cut(text: str, width: int) -> str:
    """`text` up to `width` characters, with an ellipsis where it was cut (the whole reason
    is in the run folder's verdict.json and samples.csv)."""
    return text if len(text) <= width else text[:width - 1].rstrip() + "…"


def _agreement(value: float | None) -> str:
    return "n/a (no sample had both a rule and a PoC verdict)" if value is None \
        else f"{value:.1f}%"


def _interval(summary: dict[str, Any], key: str) -> str:
    interval = summary.get("ci95", {}).get(key)
    return f"[{interval[0]:.1f}, {interval[1]:.1f}]" if interval else ""


def print_summary(summary: dict[str, Any], console: Console | None = None) -> None:
    console = console or Console()
    if summary.get("run"):
        console.print(f"run: {headline(summary['run'])}")
    head = Table(title=f"asebench scores ({summary['mode']} scoring, 0–100)")
    head.add_column("metric")
    head.add_column("value", justify="right")
    head.add_column("95% CI", justify="right")
    for key in ("overall", "security", "quality", "stability"):
        head.add_row(key, _fmt(summary[key]), _interval(summary, key))
    console.print(head)
    console.print(
        f"{summary['n_instances']} instances x {summary['n_cycles']} cycles; "
        f"{summary['n_samples']} samples: {summary['n_unjudged']} unjudged (not in S, Stab), "
        f"{summary['n_answer_failures']} answer failures "
        f"({summary['n_truncated']} cut at the token limit); "
        f"{summary['n_infra_errors']} infrastructure failures (not counted); "
        f"stability over {summary['n_stability_instances']} instances with every cycle "
        f"judged; static/dynamic agreement {_agreement(summary['static_dynamic_agreement'])}"
    )
    note = stability_note(summary)
    if note:
        console.print(f"note: {note}")
    at_k = summary.get("secure_at_k") or {}
    if at_k:
        counts = summary.get("secure_at_k_instances", {})
        console.print("secure@k: " + ", ".join(
            f"k={k} {_fmt(v)} (over {counts.get(k, '?')} instances)" for k, v in at_k.items()))
    if summary.get("unjudged"):
        unjudged = Table(title="unjudged samples (no security oracle could decide)")
        for column in ("instance", "cycle", "why"):
            unjudged.add_column(column, overflow="fold" if column == "instance" else "ellipsis")
        for row in summary["unjudged"]:
            unjudged.add_row(row["instance"], str(row["cycle"]), escape(_cut(row["reason"], 120)))
        console.print(unjudged)
    for title, key in (("by CWE", "by_cwe"), ("by language", "by_language"),
                       ("real vs synthetic", "by_origin")):
        table = Table(title=title)
        for column in ("group", "n", "overall", "security", "quality", "stability"):
            table.add_column(column, justify="left" if column == "group" else "right")
        for name, part in summary[key].items():
            table.add_row(name, str(part["n_instances"]), _fmt(part["overall"]),
                          _fmt(part["security"]), _fmt(part["quality"]), _fmt(part["stability"]))
        console.print(table)
    if summary.get("agreement_by_instance"):
        agreement = Table(title="static vs dynamic verdicts, per instance")
        for column in ("instance", "samples", "agree %", "only a rule fired",
                       "only the PoC triggered"):
            agreement.add_column(column, justify="left" if column == "instance" else "right",
                                 overflow="fold" if column == "instance" else "ellipsis")
        for name, row in summary["agreement_by_instance"].items():
            agreement.add_row(name, str(row["samples"]), _fmt(row["agreement"]),
                              str(row["static_only"]), str(row["dynamic_only"]))
        console.print(agreement)
    samples = Table(title="samples")
    for column in ("instance", "cycle", "quality", "secure", "why"):
        samples.add_column(column, overflow="fold" if column in ("instance", "why")
                           else "ellipsis")
    for row in summary["samples"]:
        samples.add_row(row["instance"], str(row["cycle"]), _yes_no(row["quality"]),
                        _yes_no(row["secure"]), escape(_cut(row["reason"], 90)))
    console.print(samples)
