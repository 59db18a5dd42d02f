"""The `bm25` strategy: lexical retrieval (bm25s) over chunks of the project's own code.

The query comes from the masked file only (see `query.py`). The masked files' paths are dropped
from the results: the tree on disk still holds their original text, hidden region included.
"""

from __future__ import annotations

from pathlib import Path

from asebench.context.budget import fill_budget
from asebench.context.model import Context, ContextRequest, Snippet
from asebench.context.query import query_terms
from asebench.context.recent_indexes import RecentIndexes

CANDIDATES = 200
"""How many ranked chunks are considered when filling the budget."""


class Bm25Context:
    name = "bm25"

    def __init__(self, cache_root: Path | None = None) -> None:
        """`cache_root` overrides where indexes are kept (default: `cache_dir("index")`)."""
        self._indexes = RecentIndexes(cache_root)

    def build(self, request: ContextRequest) -> Context:
        """The best-scoring chunks of other files, best first, within the budget."""
        if request.budget_tokens <= 0:
            return Context()
        index = self._indexes.index_for(request)
        terms = query_terms(request.masked_files, request.marker_pattern)
        hits = index.search(terms, exclude_paths=set(request.masked_files), limit=CANDIDATES)
        snippets = (Snippet.of_chunk(hit.chunk, hit.score) for hit in hits)
        return fill_budget(snippets, request.budget_tokens)
