"""Static check: the instance's semgrep rules against the candidate code, batched.

Semgrep costs ~1.5–2 s to start, so many samples share one process: each sample's files go in a
folder of their own under one scan root, and each sample's rules are copied with their ids
prefixed and `paths.include` restricted to that folder. A finding counts against a sample only
when it intersects the lines the answer inserted.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from asebench.checks.retry import retry
from asebench.code.regions import Span
from asebench.dataset.rules import RuleError, load_rules

SEMGREP_FLAGS = ("--metrics=off", "--disable-version-check", "--no-git-ignore", "--quiet",
                 "--disable-nosem")
"""`--disable-nosem`: suppression comments in candidate code must not hide a finding."""
_PREFIX = "asebench-s{n}."


class ScannerCrash(Exception):
    """Semgrep itself failed: an infrastructure failure, never a verdict on the code."""


@dataclass(frozen=True)
class Finding:
    rule: str
    path: str
    start: int
    end: int
    message: str


@dataclass(frozen=True)
class ScanRequest:
    """One sample to scan: its candidate files, its rules, and the inserted spans per file."""

    files: dict[str, str]
    rules: Sequence[Path]
    spans: dict[str, list[Span]] = field(default_factory=dict)


@dataclass(frozen=True)
class ScanResult:
    """All findings in the sample's files, and those that intersect inserted code."""

    findings: list[Finding]
    in_inserted: list[Finding]
    error: str | None = None
    unscanned: dict[str, str] = field(default_factory=dict)
    """Files of the sample semgrep skipped or could not parse: path -> reason."""


def semgrep_executable() -> str:
    """The semgrep beside this interpreter (the package's own), else the one on PATH."""
    beside = Path(sys.executable).with_name("semgrep")
    if beside.exists():
        return str(beside)
    found = shutil.which("semgrep")
    if found is None:
        raise ScannerCrash("semgrep is not installed (pip install semgrep)")
    return found


def _scoped_rules(n: int, rules: Sequence[Path]) -> list[dict[str, Any]]:
    scoped = []
    for path in rules:
        for rule in load_rules(path):
            copy = dict(rule)
            copy["id"] = _PREFIX.format(n=n) + str(rule["id"])
            copy["paths"] = {"include": [f"/s{n}/**"]}
            scoped.append(copy)
    return scoped


def _run(root: Path, config: Path, timeout: float) -> dict[str, Any]:
    command = [
        semgrep_executable(), "scan", "--config", str(config), "--json", *SEMGREP_FLAGS,
        "--max-target-bytes", "5000000", "--timeout", "60", ".",
    ]
    try:
        done = subprocess.run(
            command, cwd=root, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise ScannerCrash(f"semgrep timed out after {timeout:.0f} s") from exc
    try:
        report: dict[str, Any] = json.loads(done.stdout)
    except json.JSONDecodeError as exc:
        tail = (done.stderr or done.stdout)[-600:]
        raise ScannerCrash(f"semgrep exited {done.returncode} without a report: {tail}") from exc
    return report


def _rule_errors(report: dict[str, Any]) -> list[str]:
    messages = []
    for error in report.get("errors", []):
        kind = str(error.get("type", ""))
        if "Rule" in kind or "InvalidRule" in kind or error.get("rule_id"):
            messages.append(str(error.get("message") or error.get("long_msg") or kind))
    return messages


def scan_batch(requests: Sequence[ScanRequest], *, timeout: float = 600.0) -> list[ScanResult]:
    """Scan many samples in one semgrep process; raise `ScannerCrash` if semgrep fails."""
    if not requests:
        return []
    with tempfile.TemporaryDirectory(prefix="asebench-scan-") as tmp:
        root = Path(tmp) / "root"
        rules: list[dict[str, Any]] = []
        for n, request in enumerate(requests):
            for rel, text in request.files.items():
                target = root / f"s{n}" / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
            rules.extend(_scoped_rules(n, request.rules))
        root.mkdir(exist_ok=True)
        # an empty ignore file replaces semgrep's default one, which skips `tests/` and the like
        (root / ".semgrepignore").write_text("", encoding="utf-8")
        config = Path(tmp) / "rules.yaml"
        config.write_text(yaml.safe_dump({"rules": rules}, sort_keys=False), encoding="utf-8")
        if not rules:
            return [ScanResult([], []) for _ in requests]
        report = _run(root, config, timeout)
    rule_errors = _rule_errors(report)
    if rule_errors:
        raise RuleError("; ".join(rule_errors))
    findings: list[list[Finding]] = [[] for _ in requests]
    for hit in report.get("results", []):
        sample, _, rel = str(hit["path"]).removeprefix("./").partition("/")
        n = int(sample[1:])
        rule = str(hit["check_id"]).split(_PREFIX.format(n=n), 1)[-1]
        message = str(hit.get("extra", {}).get("message", ""))
        findings[n].append(Finding(rule, rel, hit["start"]["line"], hit["end"]["line"], message))
    results = []
    for request, found in zip(requests, findings, strict=True):
        inside = [
            f for f in found
            if any(span.intersects(f.start, f.end) for span in request.spans.get(f.path, []))
        ]
        results.append(ScanResult(found, inside))
    return results


def _scan_or_error(requests: Sequence[ScanRequest]) -> list[ScanResult] | str:
    try:
        return scan_batch(requests)
    except RuleError as exc:
        return f"rule error: {exc}"
    except ScannerCrash as exc:
        return f"semgrep failed: {exc}"


def scan_with_retry(requests: Sequence[ScanRequest]) -> list[ScanResult]:
    """`scan_batch` with the common retry policy (`checks/retry.py`); a batch that still fails
    is scanned one sample at a time so one bad sample (or one bad rule) cannot fail the
    others; what still fails carries `error`. A rule error is not retried."""
    outcome = retry(lambda: _scan_or_error(requests),
                    lambda o: isinstance(o, str) and not o.startswith("rule error"))
    if not isinstance(outcome, str):
        return outcome
    if len(requests) == 1:
        return [ScanResult([], [], error=outcome)]
    return [scan_with_retry([request])[0] for request in requests]


class SemgrepBatcher:
    """Collects the scan requests that arrive within `window` seconds and runs them together."""

    def __init__(self, window: float = 0.5) -> None:
        self.window = window
        self._pending: list[tuple[ScanRequest, asyncio.Future[ScanResult]]] = []
        self._scheduled = False

    async def scan(self, request: ScanRequest) -> ScanResult:
        future: asyncio.Future[ScanResult] = asyncio.get_running_loop().create_future()
        self._pending.append((request, future))
        if not self._scheduled:
            self._scheduled = True
            asyncio.get_running_loop().create_task(self._flush_later())
        return await future

    async def _flush_later(self) -> None:
        await asyncio.sleep(self.window)
        batch, self._pending, self._scheduled = self._pending, [], False
        try:
            results = await asyncio.to_thread(scan_with_retry, [r for r, _ in batch])
        except Exception as exc:  # never leave a sample waiting forever
            for _, future in batch:
                future.set_exception(exc)
            return
        for (_, future), result in zip(batch, results, strict=True):
            future.set_result(result)
