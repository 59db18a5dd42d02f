"""The `asebench validate` table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

from asebench.validate import InstanceCheck
from asebench.variant_matrix import CELLS, ORACLES, Matrix, RuleTally


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
    print_variant_matrices(checks, console)
    good = sum(c.consistent for c in checks)
    console.print(f"{good}/{len(checks)} instances consistent")
    for check in checks:
        missing = coverage_gaps(check)
        if missing:
            console.print(f"note: {check.instance.id} has no {', no '.join(missing)}: "
                          "'consistent' covers only the oracles and answers it has (data "
                          "README, \"Adding an instance\")", markup=False)


def coverage_gaps(check: InstanceCheck) -> list[str]:
    """What an instance lacks of what the data README asks for (variants, PoC, functional
    test): `validate` can call it consistent without them, but has then measured its oracles
    on its gold and original code alone."""
    instance = check.instance
    if instance.container is not None:  # A.S.E container instances bring their own commands
        return []
    gaps = []
    if not check.variants:
        gaps.append("variants/ (3 secure and 3 vulnerable answers)")
    if instance.poc is None:
        gaps.append("PoC")
    if instance.test is None:
        gaps.append("functional test")
    return gaps


def _matrix_table(title: str, matrix: Matrix) -> Table:
    table = Table(title=title)
    table.add_column("oracle")
    for name in (*CELLS, "accuracy %"):
        table.add_column(name, justify="right")
    for oracle in ORACLES:
        accuracy = matrix.accuracy(oracle)
        table.add_row(oracle, *(str(matrix.counts[oracle][c]) for c in CELLS),
                      "—" if accuracy is None else f"{accuracy:.1f}")
    return table


def _rules_table(title: str, tallies: list[RuleTally]) -> Table:
    table = Table(title=title)
    for column in ("rule", "role", *CELLS, "status"):
        table.add_column(column, justify="right" if column in CELLS else "left")
    for tally in tallies:
        status = tally.status
        table.add_row(tally.rule, tally.role, *(str(tally.counts[c]) for c in CELLS),
                      status if not status.startswith("decisive but") else f"[red]{status}[/red]")
    return table


def print_variant_matrices(checks: list[InstanceCheck], console: Console) -> None:
    """Per instance with variants, and in total: each oracle's confusion matrix."""
    judged = [c for c in checks if c.variants]
    if not judged:
        return
    for check in judged:
        console.print(_matrix_table(f"variants of {check.instance.id}",
                                    Matrix().add(check.variants)))
        if check.rules:
            console.print(_rules_table(f"rules of {check.instance.id}", check.rules))
    total = Matrix()
    for check in judged:
        total.add(check.variants)
    count = sum(len(c.variants) for c in judged)
    console.print(_matrix_table(f"all variants ({count} in {len(judged)} instances)", total))


def validation_json(checks: list[InstanceCheck]) -> dict[str, Any]:
    """The validation as data: per instance its problems, matrices and variant verdicts."""
    total = Matrix()
    instances = []
    for check in checks:
        total.add(check.variants)
        instances.append({
            "instance": check.instance.id, "consistent": check.consistent,
            "problems": check.problems, "flaky": check.flaky,
            "matrix": Matrix().add(check.variants).as_dict(),
            "variants": [v.as_dict() for v in check.variants],
            "rules": [t.as_dict() for t in check.rules],
        })
    return {"instances": instances, "total": total.as_dict(),
            "accuracy": {oracle: total.accuracy(oracle) for oracle in ORACLES}}
