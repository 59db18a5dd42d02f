"""`asebench validate --show-gold`: each location's gold fix and where it came from, for review.

A gold is either written here (the record's `gold_file` or inline `gold:`) or derived at fetch
time from the fix (`fixed_version`, `fixed_rev`), possibly on a region widened to whole syntax
nodes, and possibly changed by lines written here (`gold_patch`, shown as "+ gold_patch PATH").
A reviewer reads the derived ones to check that the region holds the whole fix and nothing the
fix defines elsewhere is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from asebench.dataset.native import INSTANCE_FILE
from asebench.dataset.schema import Instance
from asebench.preflight import check_instance
from asebench.sources.fix_commit import fix_reference


@dataclass(frozen=True)
class GoldEntry:
    """One location's gold (None when none could be obtained) and its origin, in words."""

    instance: str
    index: int
    file: str
    start: int
    end: int
    origin: str
    gold: str | None


def _record_locations(root: Path | None) -> list[Any]:
    """The locations as the record writes them (to name a `gold_file`)."""
    if root is None:
        return []
    try:
        record = yaml.safe_load((root / INSTANCE_FILE).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return []
    locations = record.get("locations") if isinstance(record, dict) else None
    return locations if isinstance(locations, list) else []


def gold_entries(instance: Instance) -> tuple[list[GoldEntry], list[str]]:
    """Every location's gold after the fetch-time derivation, and the problems and notes of the
    instance's preflight (fetch, derivation), as lines starting `problem:` or `note:`."""
    checked = check_instance(instance)
    written = _record_locations(instance.root)
    reference = fix_reference(instance.source)
    entries = []
    for index, (before, after) in enumerate(
            zip(instance.locations, checked.instance.locations, strict=True)):
        if before.gold is not None:
            raw = written[index] if index < len(written) else None
            named = raw.get("gold_file") if isinstance(raw, dict) else None
            origin = f"written here ({named})" if named else "written here (inline gold)"
        elif after.gold is not None:
            origin = f"derived from the fix {reference}"
            if before.gold_patch is not None:
                origin = (f"{origin} + gold_patch {before.gold_patch}" if reference is not None
                          else f"written here (gold_patch {before.gold_patch} over the "
                               f"vulnerable lines {before.start}-{before.end})")
            if (after.start, after.end) != (before.start, before.end):
                origin += f", region widened from {before.start}-{before.end}"
        else:
            origin = "none: no gold could be obtained"
        entries.append(GoldEntry(instance.id, index, after.file, after.start, after.end, origin,
                                 after.gold))
    findings = ([f"problem: {p}" for p in checked.problems]
                + [f"note: {n}" for n in checked.notes])
    return entries, findings


def gold_text(entries: list[GoldEntry], findings: list[str]) -> str:
    """The review text: a header line per location, then its gold as it is."""
    out = []
    for entry in entries:
        span = (f"insertion point before line {entry.start}" if entry.end < entry.start
                else f"lines {entry.start}-{entry.end}")
        out.append(f"== {entry.instance} locations.{entry.index}: {entry.file} {span}; "
                   f"gold {entry.origin}")
        if entry.gold is not None:
            out.append(entry.gold.rstrip("\n") if entry.gold.strip() else "(empty)")
    out.extend(findings)
    return "\n".join(out) + "\n"
