"""The run summary as data: headline scores, breakdowns and one row per sample."""

from __future__ import annotations

from typing import Any

from asebench.results import JudgedSample, records
from asebench.scoring import Mode, breakdown, compute_scores


def summarise(judged: list[JudgedSample], *, mode: Mode = "asebench",
              cycles: int | None = None, run: dict[str, Any] | None = None) -> dict[str, Any]:
    """`{"run","overall","security","quality","stability","n_instances","n_cycles",
    "n_unjudged","n_truncated","by_cwe","by_language","by_severity","by_origin",
    "unjudged":[...],"samples":[...]}` and more, for a run of `cycles` cycles (default: the
    highest seen); `run` describes the run (`report.run_info`)."""
    rows = records(judged)
    scores = compute_scores(rows, mode=mode, cycles=cycles)
    n = scores.n_cycles
    out: dict[str, Any] = {"run": run or {}}
    out.update(scores.as_dict())
    out["by_cwe"] = breakdown(rows, lambda r: r.cwe, mode=mode, cycles=n, intervals=True)
    out["by_language"] = breakdown(rows, lambda r: r.language, mode=mode, cycles=n,
                                   intervals=True)
    out["by_severity"] = breakdown(rows, lambda r: r.severity, mode=mode, cycles=n)
    out["by_origin"] = breakdown(rows, lambda r: "synthetic" if r.synthetic else "real",
                                 mode=mode, cycles=n)
    out["agreement_by_instance"] = agreement_by_instance(judged)
    ordered = sorted(judged, key=lambda j: (j.instance, j.cycle))
    out["unjudged"] = [
        {"instance": j.instance, "cycle": j.cycle, "reason": j.verdict.unjudged_reason()}
        for j in ordered if j.verdict.outcome == "unjudged"
    ]
    out["infrastructure_failures"] = [
        {"instance": j.instance, "cycle": j.cycle, "reason": j.verdict.infra_error}
        for j in ordered if j.verdict.outcome == "infra"
    ]
    out["samples"] = [
        {
            "instance": j.instance,
            "cycle": j.cycle,
            "outcome": j.verdict.outcome,
            "quality": j.verdict.counted_quality,
            "secure": j.verdict.secure,
            "truncated": j.verdict.truncated,
            "stop_reason": j.verdict.stop_reason,
            "static_secure": j.verdict.static_secure,
            "dynamic_secure": j.verdict.dynamic_secure,
            "infra_error": j.verdict.infra_error,
            "reason": j.verdict.reason(),
            **_described(j),
            "verdict": j.verdict.model_dump(mode="json"),
        }
        for j in ordered
    ]
    return out


def _described(j: JudgedSample) -> dict[str, Any]:
    """What a reader needs beside the verdict: the instance's class, cost, oracles, answer."""
    instance = j.metadata.get("instance", {})
    verdict = j.verdict
    return {
        "cwe": instance.get("cwe"), "language": instance.get("language"),
        "severity": instance.get("severity"),
        "mutated_from": (instance.get("metadata") or {}).get("mutated_from"),
        "input_tokens": j.input_tokens, "output_tokens": j.output_tokens,
        "seconds": j.seconds,
        "rules": sorted({f.rule for f in verdict.findings}),
        "poc": verdict.poc, "test": verdict.test,
        "answer": j.answer,
        **({"agent": {key: j.agent.get(key) for key in
                      ("agent", "steps", "tokens", "wall_s", "limit", "error")}
            | {"findings_elsewhere": len(j.agent.get("findings_elsewhere") or []),
               "changed_files": [c["path"] for c in j.agent.get("changed_files") or []]}}
           if j.agent is not None else {}),
    }


def agreement_by_instance(judged: list[JudgedSample]) -> dict[str, dict[str, Any]]:
    """Per instance with a PoC: how often the static verdict (no finding in the inserted code)
    and the dynamic one (PoC safe) agree, over the samples that have both."""
    out: dict[str, dict[str, Any]] = {}
    for j in judged:
        v = j.verdict
        if v.infra_error or not v.parsed or v.dynamic_secure is None or v.static_secure is None:
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
