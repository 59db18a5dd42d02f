"""Static check: the instance's semgrep rules against the candidate code, batched.

Semgrep costs ~1.5–2 s to start, so many samples share one process: each sample's files go in a
folder of their own under one scan root, and each sample's rules are copied with their ids
prefixed and `paths.include` restricted to that folder. A finding counts against a sample only
when it intersects the lines the answer inserted.

"No finding" only means something for a file semgrep analysed: every candidate file the report
lists as skipped (over the size limit, unparseable, binary…) or as the target of an error
(timeout, partial parse, out of memory) is named in `ScanResult.unscanned`, whatever the
findings say.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from asebench.checks.batching import MicroBatcher
from asebench.checks.retry import retry
from asebench.code.regions import Span
from asebench.dataset.rules import RuleError, load_rules
from asebench.dataset.semgrep_validation import find_semgrep

SEMGREP_FLAGS = ("--metrics=off", "--disable-version-check", "--no-git-ignore", "--verbose",
                 "--disable-nosem")
"""`--verbose` (not `--quiet`, which excludes it) makes the JSON report list skipped targets;
`--disable-nosem`: suppression comments in candidate code must not hide a finding."""
MAX_TARGET_BYTES = 5_000_000
NOT_A_COVERAGE_GAP = frozenset({
    "irrelevant_rule",  # semgrep proved no rule can match the file: it was judged, cheaply
    "excluded_by_config",
    "wrong_language",
    "cli_include_flags_do_not_match",
    "cli_exclude_flags_match",
})
"""Skip reasons that mean "no rule targets this file", not "semgrep failed to read it"."""
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
    """All findings in the sample's files, and those that intersect inserted code.

    `unscanned` maps each candidate file semgrep did not fully analyse (relative path, as in
    `ScanRequest.files`) to why, in semgrep's words (e.g. `"skipped: exceeded_size_limit"`,
    `"Timeout (rule sql-injection)"`, `"PartialParsing at lines 4-9: …"`). Findings in such a
    file are real, but their absence proves nothing: it is never a clean result. `error` is set
    (by `scan_with_retry`) when the whole sample could not be scanned.
    """

    findings: list[Finding]
    in_inserted: list[Finding]
    error: str | None = None
    unscanned: dict[str, str] = field(default_factory=dict)


def semgrep_executable() -> str:
    """The semgrep beside this interpreter (the package's own), else the one on PATH
    (`find_semgrep`, which rule validation uses too); `ScannerCrash` when there is none."""
    found = find_semgrep()
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
        "--max-target-bytes", str(MAX_TARGET_BYTES), "--timeout", "60", ".",
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


def _error_kind(error: dict[str, Any]) -> str:
    """The error's type name (semgrep writes some as `[name, details]`)."""
    kind = error.get("type", "")
    if isinstance(kind, list):
        kind = kind[0] if kind else ""
    return str(kind)


def _sample_file(path: object) -> tuple[int, str] | None:
    """(sample number, path in the sample) of a report path under `s<n>/`, else None."""
    sample, _, rel = str(path).removeprefix("./").partition("/")
    if not rel or not sample.startswith("s") or not sample[1:].isdigit():
        return None
    return int(sample[1:]), rel


def _error_path(error: dict[str, Any]) -> tuple[int, str] | None:
    """The sample file an error is about (its `path`, else its first span's file), if any."""
    spans = error.get("spans") or [{}]
    return _sample_file(error.get("path") or spans[0].get("file", ""))


def _rule_errors(report: dict[str, Any]) -> list[str]:
    """Messages of the errors about rules (an error about a scanned file is not one)."""
    messages = []
    for error in report.get("errors", []):
        if _error_path(error) is not None:
            continue
        kind = _error_kind(error)
        if "Rule" in kind or "Pattern" in kind or error.get("rule_id"):
            messages.append(str(error.get("message") or error.get("long_msg") or kind))
    return messages


def _error_reason(error: dict[str, Any]) -> str:
    """One line: the error's type, rule, lines and the first line of its message."""
    reason = _error_kind(error) or "error"
    if error.get("rule_id"):
        reason += f" (rule {str(error['rule_id']).split('.', 1)[-1]})"
    lines = sorted(
        {(s["start"]["line"], s["end"]["line"]) for s in error.get("spans") or [] if "start" in s}
    )
    if lines:
        reason += " at lines " + ", ".join(f"{a}-{b}" if a != b else str(a) for a, b in lines)
    message = str(error.get("message", "")).strip().splitlines()
    return f"{reason}: {message[0]}" if message else reason


def unscanned_files(report: dict[str, Any], samples: int) -> list[dict[str, str]]:
    """Per sample, the files semgrep skipped or failed on: path in the sample -> reason.

    Reads the report's `paths.skipped` (listed only with `--verbose`) and every error naming a
    file of a sample; skip reasons in `NOT_A_COVERAGE_GAP` are not gaps.
    """
    gaps: list[dict[str, list[str]]] = [{} for _ in range(samples)]

    def add(where: tuple[int, str] | None, reason: str) -> None:
        if where is not None and where[0] < samples:
            reasons = gaps[where[0]].setdefault(where[1], [])
            if reason not in reasons:
                reasons.append(reason)

    for skipped in report.get("paths", {}).get("skipped", []) or []:
        reason = str(skipped.get("reason", "unknown"))
        if reason not in NOT_A_COVERAGE_GAP:
            add(_sample_file(skipped.get("path", "")), f"skipped: {reason}")
    for error in report.get("errors", []):
        add(_error_path(error), _error_reason(error))
    return [{path: "; ".join(reasons) for path, reasons in gap.items()} for gap in gaps]


def scan_batch(requests: Sequence[ScanRequest], *, timeout: float = 600.0) -> list[ScanResult]:
    """Scan many samples in one semgrep process, one `ScanResult` per request, in order.

    Each result names the candidate files semgrep skipped or failed on (`unscanned`). Raises
    `RuleError` when semgrep rejects a rule (or a rule file cannot be read) and `ScannerCrash`
    when semgrep fails, times out after `timeout` seconds or writes no report.
    """
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
        where = _sample_file(hit["path"])
        if where is None:
            continue
        n, rel = where
        rule = str(hit["check_id"]).split(_PREFIX.format(n=n), 1)[-1]
        message = str(hit.get("extra", {}).get("message", ""))
        findings[n].append(Finding(rule, rel, hit["start"]["line"], hit["end"]["line"], message))
    results = []
    gaps = unscanned_files(report, len(requests))
    for request, found, gap in zip(requests, findings, gaps, strict=True):
        inside = [
            f for f in found
            if any(span.intersects(f.start, f.end) for span in request.spans.get(f.path, []))
        ]
        results.append(ScanResult(found, inside, unscanned=gap))
    return results


def _scan_or_error(requests: Sequence[ScanRequest]) -> list[ScanResult] | str:
    try:
        return scan_batch(requests)
    except RuleError as exc:
        return f"rule error: {exc}"
    except ScannerCrash as exc:
        return f"semgrep failed: {exc}"


def scan_with_retry(requests: Sequence[ScanRequest]) -> list[ScanResult]:
    """`scan_batch`, never raising: a batch of several samples that fails (semgrep crashed,
    timed out, or rejected one sample's rule) is split in halves and each half scanned again,
    so one bad sample cannot fail the others and a failure is never charged to a sample as
    findings; a single sample gets the common retry policy (`checks/retry.py`, a rule error is
    not retried) and, if it still fails, a result carrying `error`."""
    if len(requests) > 1:
        outcome = _scan_or_error(requests)
        if not isinstance(outcome, str):
            return outcome
        half = len(requests) // 2
        return scan_with_retry(requests[:half]) + scan_with_retry(requests[half:])
    outcome = retry(lambda: _scan_or_error(requests),
                    lambda o: isinstance(o, str) and not o.startswith("rule error"))
    if isinstance(outcome, str):
        return [ScanResult([], [], error=outcome) for _ in requests]
    return outcome


class SemgrepBatcher(MicroBatcher[ScanRequest, ScanResult]):
    """Gathers the scan requests of samples judged at the same time into one semgrep process
    (`scan_with_retry`): a batch closes `window` seconds after its first request or at
    `max_batch` requests; while `slots` processes run, new requests wait for the next batch."""

    def __init__(self, window: float = 0.5, max_batch: int = 64, slots: int = 1) -> None:
        super().__init__(scan_with_retry, window=window, max_batch=max_batch, slots=slots)

    async def scan(self, request: ScanRequest) -> ScanResult:
        """The sample's `ScanResult`, from a batch shared with concurrent samples (a `Scanner`)."""
        return await self.submit(request)
