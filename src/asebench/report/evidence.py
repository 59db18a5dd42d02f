"""A run's evidence on disk, one folder per run (the SWE-bench habit), readable without Inspect.

    <run dir>/
      scores.json  samples.csv  report.html  log.eval (a copy of the Inspect log, when any)
      samples/<instance>/cycle-<n>/
        answer.md            the model's text as it came
        verdict.json         the verdict and its one-line reason
        candidate/<path>     each masked file with the answer put in place
        vs-vulnerable.diff   unified diff: the original (vulnerable) file -> the candidate
        vs-gold.diff         unified diff: the gold-fixed file -> the candidate (when a gold exists)
        agent.json           an agent's run: steps, tokens, time, limit hit, new findings elsewhere
        agent-changes.diff   every file the agent changed, as a diff from the masked project

Candidates are rebuilt from the stored answer exactly as the judge built them (`MaskedTask.fit`
on the instance's cached source); an answer that could not be put in place has no candidate
files, and a sample whose instance cannot be opened any more gets a note instead of diffs.
"""

from __future__ import annotations

import difflib
import json
import re
import shutil
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Any

from asebench.opened_instance import instance_from_metadata, open_instance
from asebench.results import JudgedSample

_UNSAFE = re.compile(r"[^A-Za-z0-9._+-]+")


def slug(text: str) -> str:
    """A file-name-safe form of a model name or id ("openai/gpt-4o" -> "openai_gpt-4o")."""
    return _UNSAFE.sub("_", text).strip("_") or "run"


def _diff(before: str, after: str, old: str, new: str) -> str:
    return "".join(difflib.unified_diff(before.splitlines(keepends=True),
                                        after.splitlines(keepends=True), old, new))


def _safe_relative(path: str) -> Path | None:
    """`path` as a relative path that stays inside its folder, or None."""
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        return None
    return Path(*pure.parts)


def _opened(judged: JudgedSample, opened: dict[str, Any]) -> Any:
    """`(tree, task)` of the sample's instance, or the error text (cached in `opened`)."""
    if judged.instance not in opened:
        try:
            opened[judged.instance] = open_instance(instance_from_metadata(judged.metadata))
        except Exception as exc:  # the evidence of the other samples is still written
            opened[judged.instance] = f"{type(exc).__name__}: {exc}"
    return opened[judged.instance]


def candidate_evidence(judged: JudgedSample, opened: dict[str, Any]) -> dict[str, Any]:
    """`{"files": {path: candidate text}, "diff_vulnerable": str, "diff_gold": str | None,
    "note": str | None}` for one sample; empty files when the answer was not put in place."""
    out: dict[str, Any] = {"files": {}, "diff_vulnerable": "", "diff_gold": None, "note": None}
    if judged.agent is not None:  # an agent's edits are in its own record (`write_sample`)
        return out
    if not judged.verdict.parsed or "instance" not in judged.metadata:
        return out
    entry = _opened(judged, opened)
    if isinstance(entry, str):
        out["note"] = f"no candidate files: the instance could not be opened: {entry}"
        return out
    tree, task = entry
    fitted = task.fit(judged.answer)
    if fitted.failure is not None:
        return out
    try:
        golds = task.gold_files()
    except ValueError:
        golds = {}
    vulnerable, gold = [], []
    for path, insertion in sorted(fitted.insertions.items()):
        out["files"][path] = insertion.text
        original = (tree.root / path).read_text(encoding="utf-8", errors="replace")
        vulnerable.append(_diff(original, insertion.text, f"vulnerable/{path}",
                                f"candidate/{path}"))
        if path in golds:
            gold.append(_diff(golds[path], insertion.text, f"gold/{path}", f"candidate/{path}"))
    out["diff_vulnerable"] = "".join(vulnerable)
    out["diff_gold"] = "".join(gold) if golds else None
    return out


def write_sample(folder: Path, judged: JudgedSample, evidence: dict[str, Any]) -> None:
    """The evidence of one sample in `folder` (see the module docstring)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "answer.md").write_text(judged.answer, encoding="utf-8")
    (folder / "verdict.json").write_text(json.dumps(
        {"reason": judged.verdict.reason(), "outcome": judged.verdict.outcome,
         "verdict": judged.verdict.model_dump(mode="json")}, indent=2), encoding="utf-8")
    if evidence["note"]:
        (folder / "NOTE.txt").write_text(evidence["note"] + "\n", encoding="utf-8")
    if judged.agent is not None:
        agent = dict(judged.agent)
        changes = agent.pop("changed_files", None) or []
        (folder / "agent.json").write_text(json.dumps(agent, indent=2), encoding="utf-8")
        (folder / "agent-changes.diff").write_text("".join(c["diff"] for c in changes),
                                                   encoding="utf-8")
    if not evidence["files"]:
        return
    for path, text in evidence["files"].items():
        relative = _safe_relative(path)
        if relative is None:
            continue
        target = folder / "candidate" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    (folder / "vs-vulnerable.diff").write_text(evidence["diff_vulnerable"], encoding="utf-8")
    if evidence["diff_gold"] is not None:
        (folder / "vs-gold.diff").write_text(evidence["diff_gold"], encoding="utf-8")


def write_evidence(run_dir: Path, judged: Iterable[JudgedSample],
                   evidence: dict[tuple[str, int], dict[str, Any]], *,
                   log_file: Path | None = None) -> Path:
    """Every sample's evidence (`candidate_evidence`, keyed by instance and cycle) under
    `run_dir/samples/`, and a copy of the Inspect log; returns `run_dir`."""
    run_dir.mkdir(parents=True, exist_ok=True)
    if log_file is not None and log_file.is_file():
        shutil.copyfile(log_file, run_dir / f"log{log_file.suffix}")
    for sample in judged:
        write_sample(run_dir / "samples" / slug(sample.instance) / f"cycle-{sample.cycle}",
                     sample, evidence[(sample.instance, sample.cycle)])
    return run_dir


def all_evidence(judged: Iterable[JudgedSample]) -> dict[tuple[str, int], dict[str, Any]]:
    """`candidate_evidence` of every sample, each instance opened once."""
    opened: dict[str, Any] = {}
    return {(j.instance, j.cycle): candidate_evidence(j, opened) for j in judged}
