"""Import A.S.E's dataset JSON (v1 and v2) as asebench instances, as the files are.

Every entry either loads or is rejected with a problem naming the entry and the field. Known
quirks handled here: `base_commit` as `sha^`/`sha~`/tag/short sha (resolved by the git source),
mixed-case `cwe_id`, optional `other_vuln_files` (extra masked regions), v2's container
commands, the duplicated id in v2. A v2 entry's gold fix comes from `patch_commit`, derived
when the repository is at hand (see `dataset.gold`). `vuln_type` names the bug, so it is kept
in metadata and never used as the description models see.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from asebench.dataset.errors import DatasetProblem
from asebench.dataset.load import LoadedDataset
from asebench.dataset.native import problems_from_validation
from asebench.dataset.schema import Instance

_LANGUAGES = {"python", "javascript", "typescript", "java", "go", "php", "c"}
_METADATA_KEYS = (
    "seed", "vuln_type", "detected_tool", "detected_vul_num", "image_name", "branch_origin",
    "help_commit_url", "comment",
)


def _locations(entry: dict[str, Any]) -> list[dict[str, Any]]:
    spots = [{"vuln_file": entry.get("vuln_file"), "vuln_lines": entry.get("vuln_lines")}]
    spots.extend(
        spot for spot in entry.get("other_vuln_files") or []
        if not (isinstance(spot, dict) and not spot.get("vuln_file") and not spot.get("vuln_lines"))
    )  # `{"vuln_file": "", "vuln_lines": []}` is A.S.E's way of writing "no other file"
    locations: list[dict[str, Any]] = []
    for spot in spots:
        lines = spot.get("vuln_lines") if isinstance(spot, dict) else None
        if not isinstance(lines, list) or len(lines) != 2:
            locations.append({"file": spot.get("vuln_file") if isinstance(spot, dict) else None,
                              "start": None, "end": None})
            continue
        location = {"file": spot.get("vuln_file"), "start": lines[0], "end": lines[1]}
        if location not in locations:
            locations.append(location)
    return locations


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
            "fixed_rev": entry.get("patch_commit"),
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
    version = "v2" if any("image" in e for e in entries if isinstance(e, dict)) else "v1"
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
