"""What a run was, for every report it produces: model, dataset, settings, versions, time,
token usage, log — so that a JSON, CSV or HTML file describes itself and runs can be compared.

`from_log` reads it from an Inspect log (`run`, `score LOG`); `for_predictions` describes a
`score --predictions` run. Shape: `{"model", "provider", "dataset", "dataset_digest",
"settings": {...}, "versions": {"asebench", "inspect_ai"}, "started_at", "completed_at",
"duration_s", "usage": {model: {"input_tokens", "output_tokens", "total_tokens"}}, "log"}`;
unknown values are None.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from inspect_ai.log import EvalLog

from asebench.dataset.digest import dataset_digest
from asebench.dataset.schema import Instance
from asebench.options import installed_version


def _seconds(start: str | None, end: str | None) -> float | None:
    if not start or not end:
        return None
    try:
        return round((datetime.fromisoformat(end) - datetime.fromisoformat(start))
                     .total_seconds(), 3)
    except ValueError:
        return None


def from_log(log: EvalLog, *, scoring: str) -> dict[str, Any]:
    """The description of the run `log` records (`scoring`: the report's scoring mode)."""
    args = dict(log.eval.task_args or {})
    baseline = args.get("baseline")
    model = f"baseline/{baseline}" if baseline else log.eval.model
    packages = log.eval.packages or {}
    stats = log.stats
    usage = {
        name: {"input_tokens": u.input_tokens, "output_tokens": u.output_tokens,
               "total_tokens": u.total_tokens}
        for name, u in (stats.model_usage or {}).items()
    }
    settings = run_settings(args, scoring)
    started, completed = stats.started_at or None, stats.completed_at or None
    return {
        "model": model,
        "agent": args.get("agent"),
        "provider": None if baseline else model.split("/", 1)[0],
        "dataset": args.get("dataset"),
        "dataset_digest": (log.eval.metadata or {}).get("dataset_digest"),
        "settings": settings,
        "versions": {"asebench": packages.get("asebench") or installed_version("asebench"),
                     "inspect_ai": packages.get("inspect_ai") or installed_version("inspect_ai")},
        "started_at": started,
        "completed_at": completed,
        "duration_s": _seconds(started, completed),
        "usage": usage,
        "log": log.location or None,
    }


def run_settings(task_args: dict[str, Any], scoring: str) -> dict[str, Any]:
    """The settings a report shows: the task's arguments but the dataset (shown apart), the
    scoring, and an agent's limits only when an agent ran (Inspect records every argument,
    so a plain model's run would otherwise list `agent_messages=60`…)."""
    agent = task_args.get("agent") is not None
    settings = {key: value for key, value in task_args.items()
                if key != "dataset" and (agent or not key.startswith("agent_"))}
    settings["scoring"] = scoring
    return settings


def for_predictions(path: Path, dataset: str, instances: list[Instance], *, scoring: str,
                    dynamic: bool, started_at: str, completed_at: str) -> dict[str, Any]:
    """The description of judging a predictions file (no model was called here)."""
    return {
        "model": f"predictions:{path.name}",
        "provider": None,
        "dataset": dataset,
        "dataset_digest": dataset_digest(instances),
        "settings": {"dynamic": dynamic, "scoring": scoring, "predictions": str(path)},
        "versions": {"asebench": installed_version("asebench"),
                     "inspect_ai": installed_version("inspect_ai")},
        "started_at": started_at,
        "completed_at": completed_at,
        "duration_s": _seconds(started_at, completed_at),
        "usage": {},
        "log": None,
    }


def headline(run: dict[str, Any]) -> str:
    """One line naming the run: model, dataset (digest prefix), duration, versions."""
    digest = (run.get("dataset_digest") or "")[:12] or "unknown"
    took = run.get("duration_s")
    duration = f", {took:.0f} s" if isinstance(took, (int, float)) else ""
    tokens = sum(u.get("total_tokens") or 0 for u in (run.get("usage") or {}).values())
    used = f", {tokens} tokens" if tokens else ""
    versions = run.get("versions") or {}
    agent = f"{run['agent']} agent driven by " if run.get("agent") else ""
    return (f"{agent}{run.get('model')} on {run.get('dataset')} (digest {digest}){duration}{used}; "
            f"asebench {versions.get('asebench')}, inspect_ai {versions.get('inspect_ai')}")
