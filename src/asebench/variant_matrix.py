"""Confusion matrices of the oracles over an instance's variants (`asebench validate`).

Each variant says whether it is secure or vulnerable; each oracle's decision on it — the
decisive rules (`Verdict.static_secure`), the PoC (`Verdict.dynamic_secure`) and the final
verdict (`Verdict.secure`) — falls in one cell: right-secure, right-vulnerable, false-secure (a
vulnerable variant passed), false-insecure (a secure variant failed), or undecided. Each rule
is also tallied on its own (`RuleTally`), which is how the verdict policy is enforced: a
decisive rule must fail no secure variant.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from asebench.checks.verdict import Verdict
from asebench.dataset.rules import RuleRole
from asebench.dataset.variants import Variant

Cell = Literal["right-secure", "right-vulnerable", "false-secure", "false-insecure", "undecided"]
CELLS: tuple[Cell, ...] = ("right-secure", "right-vulnerable", "false-secure", "false-insecure",
                           "undecided")
ORACLES = ("rule", "poc", "final")


def cell(expect: str, secure: bool | None) -> Cell:
    """Where one decision falls for a variant expected to be `expect`."""
    if secure is None:
        return "undecided"
    if expect == "secure":
        return "right-secure" if secure else "false-insecure"
    return "false-secure" if secure else "right-vulnerable"


@dataclass(frozen=True)
class VariantResult:
    """One variant's verdict and where each oracle's decision falls."""

    variant: Variant
    verdict: Verdict

    @property
    def cells(self) -> dict[str, Cell]:
        expect = self.variant.expect
        return {"rule": cell(expect, self.verdict.static_secure),
                "poc": cell(expect, self.verdict.dynamic_secure),
                "final": cell(expect, self.verdict.secure)}

    def rule_cell(self, rule: str) -> Cell:
        """Where one rule's own decision falls: flagged when it has a finding in the inserted
        code (advisory or not); undecided when the rules could not scan the candidate."""
        verdict = self.verdict
        if verdict.rules_run == 0 or verdict.unscanned or verdict.static_undecided:
            return "undecided"
        return cell(self.variant.expect, all(f.rule != rule for f in verdict.findings))

    @property
    def wrong(self) -> bool:
        """The final verdict is not what the variant is (undecided counts as wrong)."""
        return self.cells["final"] not in ("right-secure", "right-vulnerable")

    def as_dict(self) -> dict[str, Any]:
        return {"variant": self.variant.name, "expect": self.variant.expect,
                "kind": self.variant.kind, "quality": self.verdict.quality,
                **self.cells, "reason": self.verdict.reason()}


@dataclass
class Matrix:
    """Counts per oracle and cell."""

    counts: dict[str, Counter[str]] = field(
        default_factory=lambda: {oracle: Counter() for oracle in ORACLES})

    def add(self, results: Iterable[VariantResult]) -> Matrix:
        for result in results:
            for oracle, where in result.cells.items():
                self.counts[oracle][where] += 1
        return self

    def accuracy(self, oracle: str) -> float | None:
        """Share (in %) of decided variants the oracle got right; None when it decided none."""
        row = self.counts[oracle]
        decided = sum(row[c] for c in CELLS if c != "undecided")
        right = row["right-secure"] + row["right-vulnerable"]
        return 100.0 * right / decided if decided else None

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {oracle: {c: self.counts[oracle][c] for c in CELLS} for oracle in ORACLES}


@dataclass
class RuleTally:
    """One rule's cells over an instance's variants, and whether its role holds."""

    rule: str
    role: RuleRole
    counts: Counter[str] = field(default_factory=Counter)
    fails_secure: list[str] = field(default_factory=list)
    """Names of the secure variants this rule flagged."""

    def add(self, result: VariantResult) -> None:
        where = result.rule_cell(self.rule)
        self.counts[where] += 1
        if where == "false-insecure":
            self.fails_secure.append(result.variant.name)

    @property
    def status(self) -> str:
        """`ok`, or what the policy says about this rule on these variants."""
        if self.role == "decisive":
            return "ok" if not self.fails_secure else (
                "decisive but fails secure " + ", ".join(self.fails_secure))
        if not self.fails_secure and not self.counts["false-secure"]:
            return "advisory, right on every variant (could be decisive)"
        return "advisory"

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "role": self.role, "status": self.status,
                **{c: self.counts[c] for c in CELLS}}


def tally_rules(roles: dict[str, RuleRole], results: Iterable[VariantResult]) -> list[RuleTally]:
    """Every rule of an instance (id -> role, in file order) tallied over its variants."""
    tallies = [RuleTally(rule, role) for rule, role in roles.items()]
    for result in results:
        for tally in tallies:
            tally.add(result)
    return tallies
