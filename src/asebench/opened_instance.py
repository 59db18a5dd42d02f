"""An instance opened for a sample: its source fetched, the preflight run (golds derived,
regions checked and widened) and its regions masked, kept for the process when the source is
pinned; and the sample metadata that names an instance, so that a finished log can be judged
again without the dataset.

Every stage that judges a sample (the scorer, the agents' solvers, `validate`, rejudging,
mutation, the report's diffs) opens its instance through `open_instance`.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

from asebench.cache import cache_root
from asebench.code.task import MaskedTask
from asebench.dataset.errors import DatasetError
from asebench.dataset.schema import GitSource, Instance
from asebench.preflight import open_checked
from asebench.sources.tree import SourceTree

PINNED_KINDS = frozenset({"pypi", "npm", "maven", "gomod", "debian"})
"""Source kinds named by an exact release: their tree can never change under the same record."""
_FULL_SHA = re.compile(r"[0-9a-f]{40}")
_opened: dict[str, tuple[SourceTree, MaskedTask]] = {}
_opened_lock = threading.Lock()


def _pinned(instance: Instance) -> bool:
    """Whether the instance's source is an exact release or a full commit sha (a local folder
    or a branch can change between two calls; those are opened afresh every time)."""
    source = instance.source
    if isinstance(source, GitSource):
        return _FULL_SHA.fullmatch(source.rev) is not None
    return source.kind in PINNED_KINDS


def open_instance(instance: Instance) -> tuple[SourceTree, MaskedTask]:
    """Fetch the instance's source, derive missing gold fixes from a git fix commit, and mask
    its regions (`preflight.open_checked`). The task's instance carries the derived golds and
    any region widened to fit the fix. Raises `SourceError` when the source cannot be fetched
    and `DatasetError` naming instance, file and field when a preflight problem stops it.

    Every sample of a run (its solver and its scorer, in every cycle) opens its instance: for a
    pinned source the result is kept for the process, keyed by the whole record, its folder and
    the cache root, so only the first call pays for the preflight (a failure is not kept)."""
    if not _pinned(instance):
        return _open_checked(instance)
    key = f"{cache_root()}\n{instance.root}\n{instance.model_dump_json()}"
    with _opened_lock:
        found = _opened.get(key)
    if found is None:
        found = _open_checked(instance)
        with _opened_lock:
            _opened[key] = found
    return found


def _open_checked(instance: Instance) -> tuple[SourceTree, MaskedTask]:
    checked = open_checked(instance)
    if checked.problems or checked.tree is None or checked.task is None:
        raise DatasetError(checked.problems)
    return checked.tree, checked.task


def instance_metadata(instance: Instance) -> dict[str, Any]:
    """What a sample carries so that a finished log can be re-scored without the dataset."""
    return {
        "instance": instance.model_dump(mode="json"),
        "instance_root": str(instance.root) if instance.root else None,
    }


def instance_from_metadata(metadata: dict[str, Any]) -> Instance:
    record = dict(metadata["instance"])
    root = metadata.get("instance_root")
    record["root"] = Path(root) if root else None
    return Instance.model_validate(record)
