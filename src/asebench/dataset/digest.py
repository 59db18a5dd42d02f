"""A content digest of the instances a run judged, so two runs can tell they used one dataset.

An instance's digest covers its record (as loaded, paths made relative) and every file of its
directory (rules, PoC, test, golds, harness, variants) by relative path and bytes; the dataset's
digest covers the sorted `id:digest` lines of its instances. Sources are pinned by the record
(version, sha256, revision), so they are covered through it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from asebench.dataset.schema import Instance


def instance_digest(instance: Instance) -> str:
    """sha256 (hex) of the instance's record and its directory's files."""
    digest = hashlib.sha256()
    record = instance.model_dump(mode="json")
    if instance.root is not None:
        root = str(instance.root)
        record["rules"] = [r.removeprefix(root).lstrip("/") for r in record.get("rules", [])]
    digest.update(json.dumps(record, sort_keys=True).encode())
    if instance.root is not None and instance.root.is_dir():
        for path in sorted(p for p in instance.root.rglob("*") if p.is_file()
                           and "__pycache__" not in p.parts):
            digest.update(b"\0" + str(path.relative_to(instance.root)).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def dataset_digest(instances: Iterable[Instance]) -> str:
    """sha256 (hex) over the sorted `id:instance_digest` lines."""
    lines = sorted(f"{i.id}:{instance_digest(i)}" for i in instances)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()
