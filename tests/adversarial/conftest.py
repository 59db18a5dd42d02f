"""The adversarial suite: every test here is an attack a hostile answer or dataset makes (forged
verdicts, self-exclusion, reading /instance, PoC recognition, suppression comments, host
toolchain reads, path escapes, YAML bombs, memory, disk and fork bombs, floods and deep
nesting, leftovers of killed runs). At the end of a run the suite prints `contained N/M`:
how many of the attacks it ran were contained."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).parent
_outcomes: dict[str, str] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if not Path(str(report.fspath)).resolve().is_relative_to(HERE.resolve()):
        return
    if report.when == "call" or report.outcome != "passed":
        # a failure in set-up or tear-down counts against the attack as well
        previous = _outcomes.get(report.nodeid)
        if previous != "failed":
            _outcomes[report.nodeid] = report.outcome


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _outcomes:
        return
    ran = [o for o in _outcomes.values() if o != "skipped"]
    contained = sum(o == "passed" for o in ran)
    skipped = len(_outcomes) - len(ran)
    extra = f" ({skipped} skipped: not possible on this machine)" if skipped else ""
    terminalreporter.write_line(f"adversarial suite: contained {contained}/{len(ran)}{extra}")
