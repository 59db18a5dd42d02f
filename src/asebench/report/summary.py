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
