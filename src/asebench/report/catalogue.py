"""The `asebench dataset list` and `asebench dataset stats` tables."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from asebench.dataset.catalogue import Entry


def print_list(entries: list[Entry], console: Console) -> None:
    """One row per instance: CWE, language, severity, kind, source, oracles, variants. An id
    too long for a narrow terminal is folded onto more lines, never cut: it is what a user
    types next, in `--instances`."""
    table = Table(title=f"{len(entries)} instances")
    for column in ("instance", "CWE", "language", "severity", "kind", "source", "oracles",
                   "test", "variants"):
        table.add_column(column, justify="right" if column == "variants" else "left",
                         overflow="fold" if column in ("instance", "CWE") else "ellipsis")
    for e in entries:
        table.add_row(e.id, e.cwe, e.language, e.severity, e.kind, e.source, e.oracles,
                      "yes" if e.test else "no", str(e.variants))
    console.print(table)


def print_stats(stats: dict[str, Any], console: Console) -> None:
    """Totals per CWE, language, severity and kind, and oracle coverage."""
    for key, title in (("per_cwe", "CWE"), ("per_language", "language"),
                       ("per_severity", "severity"), ("per_kind", "kind")):
        table = Table(title=f"instances per {title}")
        table.add_column(title)
        table.add_column("instances", justify="right")
        for name, count in stats[key].items():
            table.add_row(name, str(count))
        console.print(table)
    console.print(
        f"{stats['instances']} instances: {stats['with_rules']} with semgrep rules, "
        f"{stats['with_poc']} with a PoC, {stats['with_test']} with a functional test, "
        f"{stats['without_oracle']} without any security oracle; "
        f"{stats['variants']} variants")
