"""Caveats a reader of scores must see next to them, shared by every view of a run (terminal,
HTML page, `compare`), so that no view shows a number the others qualify."""

from __future__ import annotations

from typing import Any

ONE_CYCLE = ("with one cycle every instance answers the same way in every cycle, so stability "
             "is 100 by construction (--cycles 3 measures it)")


def stability_note(summary: dict[str, Any]) -> str | None:
    """The caveat on stability when a run has one cycle (A.S.E's Stab compares cycles: with
    one, a model that answers nothing still scores Stab 100 and Overall 10), else None."""
    if int(summary.get("n_cycles") or 0) == 1 and summary.get("stability") is not None:
        return ONE_CYCLE
    return None
