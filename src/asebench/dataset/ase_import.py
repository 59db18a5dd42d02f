"""Import A.S.E's dataset JSON (v1, v2 and v3) as asebench instances, as the files are.

Every entry either loads or is rejected with a problem naming the entry and the field. Known
quirks handled here: `base_commit` as `sha^`/`sha~`/tag/short sha (resolved by the git source),
mixed-case `cwe_id`, optional `other_vuln_files` (extra masked regions), `vuln_lines` holding
several ranges of one file as a flat list (v3: `[589, 612, 1724, 1742]` is two regions), v2's
container commands, the duplicated id in v2. The fix commit is v2/v3's `patch_commit`, or the
`<sha>` of a `base_commit` written `<sha>^`/`<sha>~` (v1): the gold fix is derived from it
when the source is fetched (`sources.fix_commit`). `vuln_type` names the bug, so it is kept in
metadata and never used as the description models see (A.S.E entries have no description).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from asebench.dataset.errors import DatasetProblem
from asebench.dataset.loaded import LoadedDataset
from asebench.dataset.native import problems_from_validation
from asebench.dataset.schema import Instance

_LANGUAGES = {"python", "javascript", "typescript", "java", "go", "php", "c"}
_METADATA_KEYS = (
    "seed", "vuln_type", "detected_tool", "detected_vul_num", "image_name", "branch_origin",
    "help_commit_url", "help_commit_urls", "comment",
)
_PARENT_OF = re.compile(r"^(?P<sha>[0-9a-fA-F]{7,64})(?:\^|~)1?$")


def _spots(entry: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """`(field, file, vuln_lines)` for `vuln_file` and every real `other_vuln_files` item."""
    spots: list[tuple[str, Any, Any]] = [
        ("vuln_lines", entry.get("vuln_file"), entry.get("vuln_lines"))]
    for number, spot in enumerate(entry.get("other_vuln_files") or []):
        if not isinstance(spot, dict):
            spots.append((f"other_vuln_files.{number}", None, None))
        elif spot.get("vuln_file") or spot.get("vuln_lines"):
            # `{"vuln_file": "", "vuln_lines": []}` is A.S.E's way of writing "no other file"
            spots.append((f"other_vuln_files.{number}.vuln_lines", spot.get("vuln_file"),
                          spot.get("vuln_lines")))
    return spots


def line_ranges(lines: object) -> list[tuple[int, int]] | None:
    """`[start, end, start, end, ...]` as `(start, end)` pairs; None when it is not that shape.

    A.S.E v1/v2 write one range `[start, end]`; v3 writes several ranges of one file flat.
    """
    if (not isinstance(lines, list) or not lines or len(lines) % 2
            or not all(isinstance(n, int) and not isinstance(n, bool) for n in lines)):
        return None
    return [(lines[i], lines[i + 1]) for i in range(0, len(lines), 2)]


def location_problems(entry: dict[str, Any]) -> list[tuple[str, str]]:
    """`(field, message)` for every `vuln_lines` that is not a flat list of line pairs."""
    return [
        (field, f"must list line ranges as [start, end, start, end, ...], got {lines!r}")
        for field, _, lines in _spots(entry) if line_ranges(lines) is None
    ]


def _locations(entry: dict[str, Any]) -> list[dict[str, Any]]:
    locations: list[dict[str, Any]] = []
    for _, file, lines in _spots(entry):
        for start, end in line_ranges(lines) or []:
            location = {"file": file, "start": start, "end": end}
            if location not in locations:
                locations.append(location)
    return locations


def fix_commit(entry: dict[str, Any]) -> str | None:
    """The fix commit: `patch_commit` (v2, v3), else `<sha>` of a `base_commit` `<sha>^`/`<sha>~`
    (v1 names the vulnerable commit as the fix's parent). None when neither says."""
    patch = entry.get("patch_commit")
    if isinstance(patch, str) and patch.strip():
        return patch.strip()
    found = _PARENT_OF.match(str(entry.get("base_commit") or "").strip())
    return found.group("sha") if found else None


def ase_version(entries: list[Any]) -> str:
    """`v3` (help_commit_urls / help_poc), `v2` (container images) or `v1`."""
    objects = [e for e in entries if isinstance(e, dict)]
    if any("help_commit_urls" in e or "help_poc" in e for e in objects):
        return "v3"
    return "v2" if any("image" in e for e in objects) else "v1"


def record_from_entry(entry: dict[str, Any], version: str) -> dict[str, Any]:
    """The native record (not yet validated) for one A.S.E entry."""
    source_id = str(entry.get("vuln_source") or "")
    record: dict[str, Any] = {
        "id": entry.get("instance_id"),
        "cve": source_id if source_id.upper().startswith("CVE-") else None,
        "ghsa": source_id if source_id.upper().startswith("GHSA-") else None,
        "cwe": entry.get("cwe_id"),
        "severity": (entry.get("severity") or None),
        "language": entry.get("language"),
        "source": {
            "kind": "git",
            "url": f"https://github.com/{entry.get('repo')}.git",
            "rev": entry.get("base_commit"),
            "fixed_rev": fix_commit(entry),
        },
        "locations": _locations(entry),
        "metadata": {"format": f"ase-{version}", "repo": entry.get("repo"),
                     **{k: entry[k] for k in _METADATA_KEYS if k in entry}},
    }
    if "image" in entry:
        record["container"] = {
            "image": entry.get("image"),
            "inner_path": entry.get("image_inner_path"),
            "run_cmd": entry.get("image_run_cmd"),
            "status_check_cmd": entry.get("image_status_check_cmd"),
            "test_cmd": entry.get("test_case_cmd"),
            "poc_cmd": entry.get("poc_cmd"),
            "privileged": bool(entry.get("privileged")),
        }
    return record


def import_ase_json(path: Path) -> LoadedDataset:
    """Every entry of an A.S.E JSON file, loaded or rejected with a precise problem."""
    loaded = LoadedDataset()
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        loaded.problems.append(DatasetProblem(path.name, path, None, f"cannot read: {exc}"))
        return loaded
    if not isinstance(entries, list):
        loaded.problems.append(DatasetProblem(path.name, path, None, "must be a JSON list"))
        return loaded
    version = ase_version(entries)
    seen: set[str] = set()
    for number, entry in enumerate(entries):
        name = str(entry.get("instance_id") if isinstance(entry, dict) else None) or f"#{number}"
        name = f"{name} (entry {number})"
        if not isinstance(entry, dict):
            loaded.problems.append(DatasetProblem(name, path, None, "entry is not an object"))
            continue
        language = str(entry.get("language", "")).lower()
        if language not in _LANGUAGES:
            loaded.problems.append(DatasetProblem(
                name, path, "language", f"{entry.get('language')!r} is not supported "
                f"(supported: {', '.join(sorted(_LANGUAGES))})"))
            continue
        bad_lines = location_problems(entry)
        if bad_lines:
            loaded.problems.extend(DatasetProblem(name, path, field, message)
                                   for field, message in bad_lines)
            continue
        try:
            instance = Instance.model_validate(record_from_entry(entry, version))
        except ValidationError as exc:
            loaded.problems.extend(problems_from_validation(name, path, exc))
            continue
        if instance.id in seen:
            loaded.problems.append(DatasetProblem(
                name, path, "instance_id", f"duplicate id {instance.id!r}; the first is kept"))
            continue
        seen.add(instance.id)
        loaded.instances.append(instance)
    return loaded
