"""The run summary as data: headline scores, breakdowns and one row per sample."""

from __future__ import annotations

from typing import Any

from asebench.results import JudgedSample, records
from asebench.scoring import Mode, breakdown, compute_scores


def summarise(judged: list[JudgedSample], *, mode: Mode = "asebench") -> dict[str, Any]:
    """`{"overall","security","quality","stability","n_instances","n_cycles","by_cwe",
    "by_language","by_severity","by_origin","samples":[...]}` and more."""
    rows = records(judged)
    scores = compute_scores(rows, mode=mode)
    out = scores.as_dict()
    out["by_cwe"] = breakdown(rows, lambda r: r.cwe, mode=mode)
    out["by_language"] = breakdown(rows, lambda r: r.language, mode=mode)
    out["by_severity"] = breakdown(rows, lambda r: r.severity, mode=mode)
    out["by_origin"] = breakdown(rows, lambda r: "synthetic" if r.synthetic else "real", mode=mode)
    out["agreement_by_instance"] = agreement_by_instance(judged)
    out["samples"] = [
        {
            "instance": j.instance,
            "cycle": j.cycle,
            "quality": j.verdict.quality,
            "secure": j.verdict.secure,
            "static_secure": j.verdict.static_secure,
            "dynamic_secure": j.verdict.dynamic_secure,
            "infra_error": j.verdict.infra_error,
            "reason": j.verdict.reason(),
            "verdict": j.verdict.model_dump(mode="json"),
        }
        for j in sorted(judged, key=lambda j: (j.instance, j.cycle))
    ]
    return out


def agreement_by_instance(judged: list[JudgedSample]) -> dict[str, dict[str, Any]]:
    """Per instance with a PoC: how often the static verdict (no finding in the inserted code)
    and the dynamic one (PoC safe) agree, over the samples that have both."""
    out: dict[str, dict[str, Any]] = {}
    for j in judged:
        v = j.verdict
        if v.infra_error or not v.parsed or v.dynamic_secure is None:
            continue
        row = out.setdefault(j.instance, {"samples": 0, "agree": 0, "static_only": 0,
                                          "dynamic_only": 0})
        row["samples"] += 1
        if v.static_secure == v.dynamic_secure:
            row["agree"] += 1
        elif v.static_secure:
            row["dynamic_only"] += 1  # only the PoC saw the vulnerability
        else:
            row["static_only"] += 1  # only a rule fired
    for row in out.values():
        row["agreement"] = 100.0 * row["agree"] / row["samples"]
    return dict(sorted(out.items()))
