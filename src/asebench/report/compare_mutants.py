"""The contamination gap: one model's score on original instances against their mutants.

Given a run on originals (e.g. `builtin`) and a run of the same model on mutants of them
(`builtin-mutated`, whose samples name their original in `mutated_from`), each original
instance is paired with the mutants derived from it: its score is the mean over its samples
(cycles), the mutants' score the mean over all their samples. The gap is the mean over the
paired originals of (original - mutants), in points of 0..100, with a 95% interval from a
paired bootstrap over the originals (seeded, so the same runs give the same interval). A
positive security gap means the model writes secure code more often where it may have seen
the code in training.
"""

from __future__ import annotations

import random
from collections import defaultdict
from statistics import mean
from typing import Any

METRICS = ("security", "quality")
_FIELD = {"security": "secure", "quality": "quality"}


def mutant_origins(summary: dict[str, Any]) -> dict[str, str]:
    """Mutant instance id -> the original's id, from a run summary's samples."""
    return {str(s["instance"]): str(s["mutated_from"]) for s in summary.get("samples", [])
            if s.get("mutated_from")}


def _instance_means(samples: list[dict[str, Any]], metric: str) -> dict[str, list[float]]:
    """Per instance, the 0/100 values of `metric` of its valid samples that have one."""
    values: dict[str, list[float]] = defaultdict(list)
    for sample in samples:
        value = sample.get(_FIELD[metric])
        if sample.get("infra_error") is None and value is not None:
            values[str(sample["instance"])].append(100.0 * bool(value))
    return values


def _interval(differences: list[float], rounds: int, seed: int) -> list[float] | None:
    if len(differences) < 2:
        return None
    rng = random.Random(seed)
    draws = sorted(mean(rng.choice(differences) for _ in differences) for _ in range(rounds))
    return [draws[int(0.025 * rounds)], draws[int(0.975 * rounds) - 1]]


def contamination_gap(originals: dict[str, Any], mutants: dict[str, Any], *,
                      rounds: int = 1000, seed: int = 0) -> dict[str, Any]:
    """The gap between two run summaries (`summarise`): `{"paired": n, "per_instance":
    [{"instance", "mutants", "security": [original, mutants], "quality": [...]}],
    "security"|"quality": {"originals", "mutants", "gap", "ci95"}}`, means on 0..100 over
    the paired originals (None where no original could be paired; ci95 None under 2)."""
    origin = mutant_origins(mutants)
    by_original: dict[str, set[str]] = defaultdict(set)
    for mutant, original in origin.items():
        by_original[original].add(mutant)
    out: dict[str, Any] = {"mutants_of": len(by_original)}
    rows: dict[str, dict[str, Any]] = {}
    for metric in METRICS:
        before = _instance_means(originals.get("samples", []), metric)
        after = _instance_means(mutants.get("samples", []), metric)
        pairs = {}
        for original, derived in sorted(by_original.items()):
            values = [v for m in sorted(derived) for v in after.get(m, [])]
            if before.get(original) and values:
                pairs[original] = (mean(before[original]), mean(values))
                row = rows.setdefault(original, {"instance": original,
                                                 "mutants": sorted(derived)})
                row[metric] = list(pairs[original])
        differences = [a - b for a, b in pairs.values()]
        out[metric] = {
            "originals": mean(a for a, _ in pairs.values()) if pairs else None,
            "mutants": mean(b for _, b in pairs.values()) if pairs else None,
            "gap": mean(differences) if differences else None,
            "ci95": _interval(differences, rounds, seed),
            "paired": len(pairs),
        }
    out["paired"] = max(out[m]["paired"] for m in METRICS)
    out["per_instance"] = [rows[k] for k in sorted(rows)]
    return out
