"""The `bm25` strategy: lexical retrieval (bm25s) over chunks of the project's own code.

The query comes from the masked file only (see `query.py`). The masked files' paths are dropped
from the results: the tree on disk still holds their original text, hidden region included.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

from asebench.context.budget import fill_budget
from asebench.context.code_index import CodeIndex
from asebench.context.index_cache import index_path, load_or_build
from asebench.context.model import Context, ContextRequest, Snippet
from asebench.context.query import query_terms

CANDIDATES = 200
"""How many ranked chunks are considered when filling the budget."""

KEPT_INDEXES = 2
"""Indexes a strategy keeps in memory: samples of one tree reuse it without reloading."""


class Bm25Context:
    name = "bm25"

    def __init__(self, cache_root: Path | None = None) -> None:
        """`cache_root` overrides where indexes are kept (default: `cache_dir("index")`)."""
        self._cache_root = cache_root
        self._kept: OrderedDict[Path, CodeIndex] = OrderedDict()
        self._lock = threading.Lock()

    def build(self, request: ContextRequest) -> Context:
        """The best-scoring chunks of other files, best first, within the budget."""
        if request.budget_tokens <= 0:
            return Context()
        index = self._index(request)
        terms = query_terms(request.masked_files, request.marker_pattern)
        hits = index.search(terms, exclude_paths=set(request.masked_files), limit=CANDIDATES)
        snippets = (
            Snippet(
                path=hit.chunk.path,
                start_line=hit.chunk.start_line,
                end_line=hit.chunk.end_line,
                text=hit.chunk.text,
                score=hit.score,
            )
            for hit in hits
        )
        return fill_budget(snippets, request.budget_tokens)

    def _index(self, request: ContextRequest) -> CodeIndex:
        """The tree's index: kept in memory, else from the disk cache, else built."""
        key = index_path(request.tree_digest, request.language, self._cache_root)
        with self._lock:  # one load per tree even when samples run in threads
            index = self._kept.pop(key, None)
            if index is None:
                index = load_or_build(
                    request.tree, request.language, request.tree_digest, self._cache_root
                )
            self._kept[key] = index
            while len(self._kept) > KEPT_INDEXES:
                self._kept.popitem(last=False)
            return index
