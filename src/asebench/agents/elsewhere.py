"""New findings elsewhere: the instance's rules over every file the agent changed.

A coding agent may change more than the region (SecureAgentBench checks agents' patches for
new vulnerabilities the same way). Every changed text file is scanned in full with the
instance's semgrep rules; a finding that intersects lines the agent wrote outside the
region(s) is a new finding elsewhere. Findings inside a region are the judge's business
(`checks/judge.py`), not counted twice. Reported beside the verdict; the verdict itself is the
judge's, as for a plain model's answer.
"""

from __future__ import annotations

from asebench.agents.readback import ReadBack
from asebench.agents.workspace import FileChange
from asebench.checks.judge import Scanner
from asebench.checks.static import ScanRequest
from asebench.checks.verdict import FindingRecord
from asebench.code.regions import Span
from asebench.code.task import MaskedTask


def _outside(spans: tuple[Span, ...], regions: list[Span]) -> list[Span]:
    """The lines of `spans` not in any of `regions`, as spans."""
    out = []
    for span in spans:
        line = span.start
        while line <= span.end:
            if any(r.start <= line <= r.end for r in regions):
                line += 1
                continue
            start = line
            while line <= span.end and not any(r.start <= line <= r.end for r in regions):
                line += 1
            out.append(Span(start, line - 1))
    return out


async def findings_elsewhere(task: MaskedTask, changes: list[FileChange], read: ReadBack,
                             scanner: Scanner) -> tuple[list[FindingRecord], str | None]:
    """New findings of the instance's rules in lines the agent wrote outside the regions,
    and a scanner error (None when the scan ran). Deleted and binary files are not scanned."""
    files: dict[str, str] = {}
    spans: dict[str, list[Span]] = {}
    for change in changes:
        if change.text is None:
            continue
        insertion = read.insertions.get(change.path)
        regions = list(insertion.spans.values()) if insertion else []
        outside = _outside(change.added, regions)
        if outside:
            files[change.path] = change.text
            spans[change.path] = outside
    if not files or not task.instance.rules:
        return [], None
    result = await scanner(ScanRequest(files=files, rules=task.instance.rules, spans=spans))
    if result.error is not None:
        return [], result.error
    return [FindingRecord(rule=f.rule, path=f.path, start=f.start, end=f.end, message=f.message)
            for f in result.in_inserted], None
