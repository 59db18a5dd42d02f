"""The `asebench validate` table."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table

from asebench.validate import InstanceCheck


def _series(values: Sequence[object]) -> str:
    distinct = list(dict.fromkeys(values))
    return "/".join("—" if v is None else str(v) for v in distinct)


def print_validation(checks: list[InstanceCheck], console: Console | None = None) -> None:
    console = console or Console(width=200)
    table = Table(title="asebench validate")
    for column in ("instance", "rule on vulnerable", "rule on fix", "PoC on vulnerable",
                   "PoC on fix", "test (vuln/fix)", "flaky", "status"):
        table.add_column(column)
    for check in checks:
        tests = _series([f"{v or '—'}/{f or '—'}" for v, f in check.test])
        status = "ok" if check.consistent else "; ".join(check.problems) or "flaky"
        table.add_row(
            check.instance.id, _series(check.rule_on_vulnerable), _series(check.rule_on_fix),
            _series(check.poc_on_vulnerable), _series(check.poc_on_fix), tests,
            "yes" if check.flaky else "no",
            status if check.consistent else f"[red]{status}[/red]",
        )
    console.print(table)
    good = sum(c.consistent for c in checks)
    console.print(f"{good}/{len(checks)} instances consistent")
