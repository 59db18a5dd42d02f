"""The comparison of runs as a terminal leaderboard and a self-contained HTML page."""

from __future__ import annotations

import html
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from asebench.report.compare import METRICS
from asebench.report.compare_mutants import METRICS as GAP_METRICS


def _fmt(value: object) -> str:
    return "—" if value is None else f"{value:.1f}" if isinstance(value, float) else str(value)


def _ci(interval: object) -> str:
    if not isinstance(interval, (list, tuple)) or len(interval) != 2:
        return ""
    return f"[{interval[0]:.1f}, {interval[1]:.1f}]"


def _rows(comparison: dict[str, Any]) -> list[tuple[str, list[str], list[list[str]]]]:
    """(title, header, rows) of every table, shared by both views."""
    board = [[str(n), r["run"], *(f"{_fmt(r[m])} {_ci(r['ci95'].get(m))}".strip()
                                  for m in METRICS), _fmt(r["n_instances"])]
             for n, r in enumerate(comparison["runs"], start=1)]
    names = [r["run"] for r in comparison["runs"]]
    tables = [("leaderboard (0-100, 95% CI)", ["#", "run", *METRICS, "instances"], board)]
    for key, title in (("by_cwe", "Overall per CWE"), ("by_language", "Overall per language")):
        rows = [[group, *(_fmt(values.get(n)) for n in names)]
                for group, values in comparison[key].items()]
        tables.append((title, [key.removeprefix("by_"), *names], rows))
    pairs = [[p["a"], p["b"], str(p["shared"]),
              *(f"{_fmt(p['difference'].get(m))} {_ci(p['ci95'].get(m))}".strip()
                for m in METRICS)] for p in comparison["pairs"]]
    tables.append(("A minus B on shared instances (paired bootstrap, 95% CI)",
                   ["A", "B", "shared", *METRICS], pairs))
    for gap in comparison.get("contamination", []):
        tables.extend(_gap_tables(gap))
    return tables


def _gap_tables(gap: dict[str, Any]) -> list[tuple[str, list[str], list[list[str]]]]:
    """The contamination gap of one originals/mutants pair of runs: the headline (originals,
    mutants, gap with its interval) and one row per paired original instance."""
    head = [[metric, _fmt(gap[metric]["originals"]), _fmt(gap[metric]["mutants"]),
             f"{_fmt(gap[metric]['gap'])} {_ci(gap[metric]['ci95'])}".strip(),
             str(gap[metric]["paired"])] for metric in GAP_METRICS]
    rows = [[row["instance"], str(len(row["mutants"])),
             *(f"{_fmt(row[m][0])} / {_fmt(row[m][1])}" if m in row else "—"
               for m in GAP_METRICS)] for row in gap["per_instance"]]
    title = f"contamination gap: {gap['originals']} (originals) vs {gap['mutants']} (mutants)"
    return [(f"{title}, original minus mutants (paired bootstrap over originals, 95% CI)",
             ["metric", "originals", "mutants", "gap", "paired"], head),
            (f"{title}, per original instance (original / mean of its mutants)",
             ["instance", "mutants", *GAP_METRICS], rows)]


def print_comparison(comparison: dict[str, Any], console: Console | None = None) -> None:
    console = console or Console()
    for warning in comparison["warnings"]:
        console.print(f"[yellow]warning:[/yellow] {escape(warning)}")
    for title, header, rows in _rows(comparison):
        table = Table(title=title)
        for column in header:  # run names fold rather than end in "…": two runs of one
            table.add_column(escape(column), overflow="fold")  # provider must stay apart
        for row in rows:
            table.add_row(*(escape(cell) for cell in row))
        console.print(table)


def render_comparison_html(comparison: dict[str, Any]) -> str:
    """One self-contained page (every text escaped: run names come from logs)."""
    parts = [f"<p><b>warning:</b> {html.escape(w)}</p>" for w in comparison["warnings"]]
    for title, header, rows in _rows(comparison):
        head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
                       for row in rows)
        parts.append(f"<h2>{html.escape(title)}</h2><table><tr>{head}</tr>{body}</table>")
    style = ("body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;"
             "margin-bottom:1.5em}td,th{border:1px solid #ccc;padding:.25em .6em}"
             "th{background:#eee}")
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>asebench compare"
            f"</title><style>{style}</style></head><body><h1>asebench compare</h1>"
            f"{''.join(parts)}</body></html>")
