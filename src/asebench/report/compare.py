"""`asebench compare RUN…`: a leaderboard of runs on one dataset, with paired differences.

A run is given as its folder (`scores.json` in it), a summary JSON (`--json` of `run` or
`score`), or an Inspect log (`.eval`/`.json`, scored as `score` would). Runs are compared only
when they judged the same dataset (same content digest), with the same scoring and number of
cycles; otherwise `CompareError` says why, unless `force`. For every pair of runs, the
difference of each headline metric on the instances both judged comes with its 95%
paired-bootstrap interval (`scoring.paired_difference`). A run on mutants (`builtin-mutated`)
and a run on their originals are compared by design although their datasets differ: the
comparison then holds the contamination gap (`compare_mutants`), originals against mutants.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

from asebench.report.compare_mutants import contamination_gap, mutant_origins
from asebench.report.notes import ONE_CYCLE, stability_note
from asebench.scoring import SampleRecord, paired_difference

METRICS = ("overall", "security", "quality", "stability")


class CompareError(ValueError):
    """Runs that cannot be compared (unreadable, or judged differently); names the runs."""


@dataclass(frozen=True)
class Run:
    """One run to compare: its name (the model), where it came from, and its summary."""

    name: str
    path: Path
    summary: dict[str, Any]

    @property
    def info(self) -> dict[str, Any]:
        return dict(self.summary.get("run") or {})

    def records(self) -> list[SampleRecord]:
        """The per-sample records scoring needs, read back from the summary's samples."""
        return [
            SampleRecord(
                instance=s["instance"], cycle=int(s["cycle"]), quality=s.get("quality"),
                secure=s.get("secure"), cwe=s.get("cwe") or "",
                language=s.get("language") or "", severity=s.get("severity") or "",
                infra_error=s.get("infra_error"), static_secure=s.get("static_secure"),
                dynamic_secure=s.get("dynamic_secure"), truncated=bool(s.get("truncated")),
                answer_failure=s.get("outcome") == "answer_failure")
            for s in self.summary.get("samples", [])
        ]


def _summary_of_log(path: Path) -> dict[str, Any]:
    from inspect_ai.log import read_eval_log

    from asebench.report.run_info import from_log
    from asebench.report.summary import summarise
    from asebench.results import judged_samples, log_cycles

    try:
        log = read_eval_log(str(path))
    except Exception as exc:  # Inspect raises several kinds for a file that is not a log
        raise CompareError(f"{path}: neither a run folder, a summary JSON nor an Inspect "
                           f"log ({type(exc).__name__})") from exc
    return summarise(judged_samples(log), cycles=log_cycles(log),
                     run=from_log(log, scoring="asebench"))


def load_run(path: Path) -> Run:
    """A run from a folder, a summary JSON or an Inspect log; `CompareError` when unreadable."""
    if path.is_dir():
        path = path / "scores.json"
        if not path.is_file():
            raise CompareError(f"{path.parent}: a run folder holds scores.json; this one does not")
    if not path.is_file():
        raise CompareError(f"{path}: does not exist")
    summary: dict[str, Any] | None = None
    if path.suffix == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CompareError(f"{path}: not JSON: {exc}") from exc
        if isinstance(data, dict) and "samples" in data and "overall" in data:
            summary = data
    if summary is None:
        summary = _summary_of_log(path)
    run = summary.get("run") or {}
    name = str(run.get("model") or path.stem)
    if run.get("agent"):  # an agent and the plain model it drives are two contenders
        name = f"{run['agent']} agent + {name}"
    return Run(name, path, summary)


def _check_comparable(runs: list[Run], mutants: bool = False) -> list[str]:
    """Why these runs should not be compared (empty when they can be); runs on originals and
    on their mutants (`mutants`) judged different datasets by design."""
    problems = []
    keys = (("dataset_digest", "dataset content"), ("scoring", "scoring"),
            ("cycles", "number of cycles"))
    for key, what in keys[1:] if mutants else keys:
        values = {}
        for run in runs:
            info = run.info
            value = (info.get("settings") or {}).get(key) if key in ("scoring", "cycles") \
                else info.get(key)
            if key == "scoring":
                value = value or run.summary.get("mode")
            if key == "cycles":
                value = value or run.summary.get("n_cycles")
            values[run.name] = value
        if len({json.dumps(v) for v in values.values()}) > 1:
            listed = ", ".join(f"{name}: {str(v)[:12]}" for name, v in values.items())
            problems.append(f"different {what} ({listed})")
            if key == "dataset_digest":
                problems.extend(_instance_difference(runs))
    return problems


def _instance_difference(runs: list[Run]) -> list[str]:
    """Why two digests of one dataset differ when the runs chose different instances
    (`--instances`, `--limit`): how many each ran and how many they share."""
    ran = {run.name: {str(row.get("instance")) for row in run.summary.get("samples") or []}
           for run in runs}
    if len({frozenset(ids) for ids in ran.values()}) < 2:
        return []
    shared = set.intersection(*ran.values())
    counts = ", ".join(f"{name}: {len(ids)}" for name, ids in ran.items())
    return [f"they ran different instances ({counts}; {len(shared)} shared): run them on the "
            "same --instances"]


def _unique_names(runs: list[Run]) -> list[Run]:
    """Runs renamed apart where two share a model: by their dataset when the datasets differ
    (a model on the built-in instances and on their mutants), else by number."""
    counts: dict[str, int] = {}
    for run in runs:
        counts[run.name] = counts.get(run.name, 0) + 1
    seen: dict[str, int] = {}
    datasets: dict[str, set[str]] = {}
    for run in runs:
        datasets.setdefault(run.name, set()).add(str(run.info.get("dataset")))
    out = []
    for run in runs:
        seen[run.name] = seen.get(run.name, 0) + 1
        if counts[run.name] == 1:
            name = run.name
        elif len(datasets[run.name]) == counts[run.name]:
            name = f"{run.name} on {run.info.get('dataset')}"
        else:
            name = run.name if seen[run.name] == 1 else f"{run.name} #{seen[run.name]}"
        out.append(Run(name, run.path, run.summary))
    return out


def compare(paths: list[Path], *, force: bool = False, rounds: int = 1000) -> dict[str, Any]:
    """The comparison as data: `{"runs": [leaderboard rows, best Overall first],
    "by_cwe": {cwe: {run: overall}}, "by_language": {...}, "pairs": [{"a", "b", "shared",
    "difference", "ci95"}], "contamination": [gap per originals/mutants pair of runs],
    "warnings": [...]}`. Raises `CompareError` for fewer than two
    runs, an unreadable one, or runs judged differently (unless `force`: then warnings)."""
    loaded = [load_run(path) for path in paths]  # a path that is no run is named first
    if len(paths) < 2:
        raise CompareError("compare needs at least two runs")
    runs = _unique_names(loaded)
    gaps = _contamination_gaps(runs, rounds)
    problems = _check_comparable(runs, mutants=bool(gaps))
    if problems and not force:
        raise CompareError("these runs were judged differently: " + "; ".join(problems)
                           + " (--force compares them anyway)")
    runs.sort(key=lambda r: -(r.summary.get("overall") or -1.0))
    board = [{
        "run": run.name, "path": str(run.path),
        **{m: run.summary.get(m) for m in METRICS},
        "ci95": {m: run.summary.get("ci95", {}).get(m) for m in METRICS},
        "n_instances": run.summary.get("n_instances"), "n_samples": run.summary.get("n_samples"),
        "dataset_digest": run.info.get("dataset_digest"),
    } for run in runs]
    cycles = max(int(run.summary.get("n_cycles") or 1) for run in runs)
    pairs = []
    for a, b in combinations(runs, 2):
        mode = a.summary.get("mode", "asebench")
        diff = paired_difference(a.records(), b.records(), mode=mode, cycles=cycles,
                                 rounds=rounds)
        pairs.append({"a": a.name, "b": b.name, **diff})
    groups = {}
    for key in ("by_cwe", "by_language"):
        table: dict[str, dict[str, float | None]] = {}
        for run in runs:
            for group, figures in (run.summary.get(key) or {}).items():
                table.setdefault(group, {})[run.name] = figures.get("overall")
        groups[key] = dict(sorted(table.items()))
    models = {str(run.info.get("model")) for run in runs}
    if gaps and len(models) > 1:
        problems.append(f"the contamination gap compares one model with itself; these runs "
                        f"are of {', '.join(sorted(models))}")
    one_cycle = [run.name for run in runs if stability_note(run.summary)]
    if one_cycle:
        problems.append(f"{', '.join(one_cycle)}: {ONE_CYCLE}")
    return {"runs": board, **groups, "pairs": pairs, "contamination": gaps,
            "warnings": problems}


def _contamination_gaps(runs: list[Run], rounds: int) -> list[dict[str, Any]]:
    """For every run on mutants whose originals another run judged: the contamination gap
    (`compare_mutants.contamination_gap`), named by both runs."""
    gaps = []
    for mutants in runs:
        origins = set(mutant_origins(mutants.summary).values())
        for originals in runs:
            judged = {str(s["instance"]) for s in originals.summary.get("samples", [])}
            if originals is mutants or not origins & judged:
                continue
            gap = contamination_gap(originals.summary, mutants.summary, rounds=rounds)
            gaps.append({"originals": originals.name, "mutants": mutants.name, **gap})
    return gaps
