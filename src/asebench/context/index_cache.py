"""Reusing code indexes across calls: one per (tree digest, language, chunker version)."""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from pathlib import Path

from asebench.cache import cache_dir
from asebench.context.chunking import CHUNKER_VERSION
from asebench.context.code_index import CodeIndex
from asebench.dataset.schema import Language

INDEX_KIND = "index"


def index_path(tree_digest: str, language: Language, root: Path | None = None) -> Path:
    """Where the index of this tree and language lives (under `cache_dir("index")` by default)."""
    key = hashlib.sha256(tree_digest.encode("utf-8")).hexdigest()[:24]
    base = root if root is not None else cache_dir(INDEX_KIND)
    return base / "bm25" / f"{language.value}-chunker{CHUNKER_VERSION}-{key}"


def load_or_build(
    tree: Path, language: Language, tree_digest: str, root: Path | None = None
) -> CodeIndex:
    """The cached index when there is a readable one, else a fresh one, saved for next time.

    The new index is written to a private directory and renamed into place, so a reader never
    sees half an index and two processes building the same one do not clash.
    """
    final = index_path(tree_digest, language, root)
    if final.is_dir():
        try:
            return CodeIndex.load(final)
        except (OSError, ValueError, KeyError, TypeError):
            shutil.rmtree(final, ignore_errors=True)
    index = CodeIndex.build(tree, language)
    staging = final.with_name(f".{final.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}")
    index.save(staging)
    try:
        staging.rename(final)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
    return index
