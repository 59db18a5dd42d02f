"""The `graph` strategy: the definitions the masked code refers to, one hop away, by name.

Each name the masked file uses without defining it (see `references.py`) is looked up among the
definitions of the project's other files, which the chunker records with tree-sitter. A chunk
scores the weights of the names it defines, each divided by how many chunks define that name (an
ambiguous `get` counts little; names defined in over `MAX_DEFINITIONS` places are not followed),
doubled when the masked file imports the chunk's module and raised a quarter when it lives in the
same directory. Chunks that define nothing the masked file uses are left out.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path, PurePosixPath

from asebench.context.budget import fill_budget
from asebench.context.code_index import CodeIndex
from asebench.context.model import Context, ContextRequest, Snippet
from asebench.context.query import import_lines
from asebench.context.recent_indexes import RecentIndexes
from asebench.context.references import referenced_names
from asebench.context.terms import code_terms

MAX_DEFINITIONS = 20
IMPORTED_MODULE_FACTOR = 2.0
SAME_DIRECTORY_FACTOR = 1.25


class GraphContext:
    name = "graph"

    def __init__(self, cache_root: Path | None = None) -> None:
        """`cache_root` overrides where indexes are kept (default: `cache_dir("index")`)."""
        self._indexes = RecentIndexes(cache_root)

    def build(self, request: ContextRequest) -> Context:
        """The definitions the masked files use, best first, within the budget."""
        if request.budget_tokens <= 0:
            return Context()
        index = self._indexes.index_for(request)
        scores = definition_scores(index, request)
        ranked = sorted(scores, key=lambda row: (-scores[row], row))
        snippets = (Snippet.of_chunk(index.chunks[row], scores[row]) for row in ranked)
        return fill_budget(snippets, request.budget_tokens)


def definition_scores(index: CodeIndex, request: ContextRequest) -> dict[int, float]:
    """Chunk row -> score, for chunks outside the masked files that define a used name."""
    masked = set(request.masked_files)
    weights: dict[str, float] = {}
    imported: set[str] = set()
    directories: set[PurePosixPath] = set()
    for path, text in request.masked_files.items():
        for name, weight in referenced_names(path, text, request.marker_pattern).items():
            weights[name] = max(weights.get(name, 0.0), weight)
        lines = text.split("\n")
        imported.update(code_terms("\n".join(lines[row] for row in import_lines(lines))))
        directories.add(PurePosixPath(path).parent)
    scores: defaultdict[int, float] = defaultdict(float)
    for name, weight in weights.items():
        rows = [row for row in index.rows_defining(name) if index.chunks[row].path not in masked]
        if not rows or len(rows) > MAX_DEFINITIONS:
            continue
        for row in rows:
            scores[row] += weight / len(rows)
    for row in scores:
        chunk_path = PurePosixPath(index.chunks[row].path)
        if imported.intersection(code_terms(chunk_path.stem)):
            scores[row] *= IMPORTED_MODULE_FACTOR
        if chunk_path.parent in directories:
            scores[row] *= SAME_DIRECTORY_FACTOR
    return dict(scores)
