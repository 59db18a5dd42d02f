"""Confusion matrices of the oracles over an instance's variants (`asebench validate`).

Each variant says whether it is secure or vulnerable; each oracle's decision on it — the
rules (`Verdict.static_secure`), the PoC (`Verdict.dynamic_secure`) and the final verdict
(`Verdict.secure`) — falls in one cell: right-secure, right-vulnerable, false-secure (a
vulnerable variant passed), false-insecure (a secure variant failed), or undecided.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from asebench.checks.verdict import Verdict
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
