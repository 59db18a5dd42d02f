"""Ask semgrep itself whether rule files are valid rules, once per file content.

A rule file can be valid YAML with a `rules:` list (what `rules.load_rules` checks) and still be
no semgrep rule: a misspelt key, a pattern that does not parse in its language. Only semgrep
knows, so the files are given to semgrep as configs over an empty directory (fast, offline:
`semgrep scan --validate` would fetch a registry ruleset and stall offline). One process checks
every file not checked before; when semgrep rejects the batch, each file is checked alone to
name the bad one. The verdict is cached under `cache_dir("rule-checks")` by the file's sha256
and semgrep's version, so a dataset is validated once, not at every lint or run.

Only files that `load_rules` accepted are given to semgrep (never an alias bomb). When semgrep
is missing or does not answer in time, nothing is cached and no file is rejected: the scan
reports the rule error later.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from asebench.cache import cache_dir

CHECKS = "rule-checks"
FLAGS = ("--metrics=off", "--disable-version-check", "--json", "--quiet")
TIMEOUT_S = 180.0
RULE_ERROR = re.compile(r"rule|pattern|yaml|language|schema|regex|syntax|parse", re.IGNORECASE)
"""Semgrep error types that are about the rule file (`Rule parse error`,
`InvalidRuleSchemaError`, `UnknownLanguageError`, …); any other error (out of memory, a fatal
error, a bad scanning root) says nothing about the rule and rejects nothing."""


def find_semgrep() -> str | None:
    """The semgrep beside this interpreter (the package's own), else the one on PATH; None
    when neither exists. The checks run the same one (`checks.static.semgrep_executable`)."""
    beside = Path(sys.executable).with_name("semgrep")
    return str(beside) if beside.is_file() else shutil.which("semgrep")


def _version() -> str:
    try:
        return metadata.version("semgrep")
    except metadata.PackageNotFoundError:
        return "unknown"


def _key(path: Path, version: str) -> str:
    digest = hashlib.sha256(path.read_bytes())
    digest.update(b"\0semgrep " + version.encode())
    return digest.hexdigest()


def _error_text(error: dict[str, Any]) -> str:
    """One line for one semgrep error: its type, its short message, the line it points at."""
    kind = error.get("type")
    kind = kind[0] if isinstance(kind, list) and kind else kind
    text = str(error.get("short_msg") or error.get("message") or "rejected").strip()
    first = " ".join(text.split("\n")[0].split())
    lines = [s.get("start", {}).get("line") for s in error.get("spans") or []
             if isinstance(s, dict)]
    where = f" (line {lines[0]})" if lines and lines[0] else ""
    return f"semgrep rejects it: {kind}: {first}{where}" if kind else f"semgrep rejects it: {first}"


def _check(semgrep: str, files: Sequence[Path]) -> str | bool | None:
    """None when semgrep accepts every file, its error text when it rejects them, False when
    it could not tell (crash without a report, timeout)."""
    with tempfile.TemporaryDirectory(prefix="asebench-rulecheck-") as empty:
        argv = [semgrep, "scan", *FLAGS]
        for file in files:
            argv += ["--config", str(file.resolve())]
        try:
            done = subprocess.run([*argv, empty], capture_output=True, text=True,
                                  timeout=TIMEOUT_S, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return False
    try:
        report = json.loads(done.stdout or "null")
    except json.JSONDecodeError:
        return False
    return rejection(report, done.returncode)


def rejection(report: object, returncode: int) -> str | bool | None:
    """What semgrep's JSON `report` of a rule check (exit status `returncode`) says about the
    rule files: None when it accepts them, the error text (one line per error, `; `-joined)
    when an error is about the rules, False when it failed for a reason that says nothing
    about them (no report, out of memory, a fatal error): such a failure rejects nothing."""
    if not isinstance(report, dict):
        return False
    errors = [e for e in report.get("errors") or [] if isinstance(e, dict)
              and e.get("level", "error") == "error"
              and "invalid configuration file found" not in str(e.get("message", ""))]
    if not errors:
        return None if returncode == 0 else False
    about_rules = [e for e in errors if RULE_ERROR.search(str(e.get("type", "")))]
    if not about_rules:
        return False  # semgrep failed for another reason (memory, a crash): cannot tell
    return "; ".join(_error_text(e) for e in about_rules)


def semgrep_rejections(files: Sequence[Path]) -> dict[Path, str]:
    """For each of `files` that semgrep rejects as a rule file, why (one line)."""
    semgrep = find_semgrep()
    if semgrep is None or not files:
        return {}
    version, store = _version(), cache_dir(CHECKS)
    unique = list(dict.fromkeys(files))
    keys = {file: _key(file, version) for file in unique if file.is_file()}
    verdicts: dict[Path, str | None] = {}
    unchecked = []
    for file, key in keys.items():
        cached = store / f"{key}.json"
        if cached.is_file():
            verdicts[file] = json.loads(cached.read_text(encoding="utf-8"))["error"]
        else:
            unchecked.append(file)
    if unchecked:
        batch = _check(semgrep, unchecked)
        if batch is None:
            found: dict[Path, str | bool | None] = dict.fromkeys(unchecked, None)
        elif len(unchecked) == 1:
            found = {unchecked[0]: batch}
        else:
            found = {file: _check(semgrep, [file]) for file in unchecked}
        for file, verdict in found.items():
            if verdict is False:
                continue  # semgrep could not tell: nothing to cache, nothing to reject
            error = verdict if isinstance(verdict, str) else None
            verdicts[file] = error
            partial = store / f".{keys[file]}.{os.getpid()}.tmp"
            partial.write_text(json.dumps({"error": error}), encoding="utf-8")
            os.replace(partial, store / f"{keys[file]}.json")
    return {file: error for file, error in verdicts.items() if error}
