"""Indexes kept in memory by a strategy, so samples of one tree do not reload it each time."""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

from asebench.context.code_index import CodeIndex
from asebench.context.index_cache import index_path, load_or_build
from asebench.context.model import ContextRequest

KEPT_INDEXES = 2


class RecentIndexes:
    """The last `size` indexes used; the rest come from the disk cache or are built."""

    def __init__(self, cache_root: Path | None = None, size: int = KEPT_INDEXES) -> None:
        """`cache_root` overrides where indexes are kept (default: `cache_dir("index")`)."""
        self._cache_root = cache_root
        self._size = size
        self._kept: OrderedDict[Path, CodeIndex] = OrderedDict()
        self._lock = threading.Lock()

    def index_for(self, request: ContextRequest) -> CodeIndex:
        """The index of the request's tree and language."""
        key = index_path(request.tree_digest, request.language, self._cache_root)
        with self._lock:  # one load per tree even when samples run in threads
            index = self._kept.pop(key, None)
            if index is None:
                index = load_or_build(
                    request.tree, request.language, request.tree_digest, self._cache_root
                )
            self._kept[key] = index
            while len(self._kept) > self._size:
                self._kept.popitem(last=False)
            return index
