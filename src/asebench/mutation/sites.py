"""Which of its eligible sites a structural operator rewrites, drawn from the operator's rng."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

Site = TypeVar("Site")


def choose_sites(eligible: Sequence[Site], rng: random.Random, share: float) -> list[Site]:
    """Each eligible site with probability `share` (one draw per site, in order); one site
    drawn at random when that takes none, so a mutant changes something wherever it can.
    Empty only when `eligible` is."""
    chosen = [site for site in eligible if rng.random() < share]
    if eligible and not chosen:
        chosen = [rng.choice(eligible)]
    return chosen
