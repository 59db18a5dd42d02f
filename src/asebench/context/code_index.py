"""A BM25 index (bm25s) over the chunks of one project tree's files of one language."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

import bm25s
import numpy as np

from asebench.context.chunking import Chunk, chunk_file
from asebench.context.source_files import looks_minified, source_files
from asebench.context.terms import code_terms
from asebench.dataset.schema import Language

_CHUNKS_FILE = "chunks.jsonl"


@dataclass(frozen=True)
class ScoredChunk:
    chunk: Chunk
    score: float


class CodeIndex:
    """Chunks of a tree and their BM25 model; `origin` says whether it was built or loaded."""

    def __init__(
        self,
        chunks: list[Chunk],
        retriever: Any | None,
        origin: Literal["built", "cache"],
    ) -> None:
        self.chunks = chunks
        self.origin = origin
        self._retriever = retriever
        self._rows_by_path: dict[str, list[int]] = {}
        for row, chunk in enumerate(chunks):
            self._rows_by_path.setdefault(chunk.path, []).append(row)
        self._rows_by_name: dict[str, list[int]] | None = None

    @classmethod
    def build(cls, tree: Path, language: Language) -> CodeIndex:
        """Chunk every indexable file of `tree` for `language` and index the chunks."""
        if not tree.is_dir():
            raise FileNotFoundError(f"no project tree at {tree}")
        chunks: list[Chunk] = []
        for path in source_files(tree, language):
            try:
                text = (tree / path).read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue  # unreadable files are left out, like binary ones
            if not looks_minified(text):
                chunks.extend(chunk_file(path, text))
        if not chunks:
            return cls(chunks, None, "built")
        retriever = bm25s.BM25()
        retriever.index([_chunk_terms(chunk) for chunk in chunks], show_progress=False)
        return cls(chunks, retriever, "built")

    def save(self, directory: Path) -> None:
        """Write the index with bm25s' own format, plus the chunks as JSON lines."""
        directory.mkdir(parents=True, exist_ok=True)
        if self._retriever is not None:
            corpus = [asdict(chunk) for chunk in self.chunks]
            self._retriever.save(
                str(directory), corpus=corpus, corpus_name=_CHUNKS_FILE, show_progress=False
            )
        else:
            (directory / _CHUNKS_FILE).write_text("", encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> CodeIndex:
        """Read an index written by `save`."""
        if not (directory / "params.index.json").exists():
            if (directory / _CHUNKS_FILE).read_text(encoding="utf-8"):
                raise ValueError(f"index at {directory} has chunks but no bm25 model")
            return cls([], None, "cache")
        retriever = bm25s.BM25.load(
            str(directory), corpus_name=_CHUNKS_FILE, load_corpus=True, show_progress=False
        )
        chunks = [_chunk_from_json(entry) for entry in retriever.corpus]
        retriever.corpus = None
        return cls(chunks, retriever, "cache")

    def rows_defining(self, name: str) -> list[int]:
        """The rows of `chunks` that define `name` (see `Chunk.defines`)."""
        if self._rows_by_name is None:
            by_name: dict[str, list[int]] = {}
            for row, chunk in enumerate(self.chunks):
                for defined in chunk.defines:
                    by_name.setdefault(defined, []).append(row)
            self._rows_by_name = by_name
        return self._rows_by_name.get(name, [])

    def search(
        self, terms: list[str], exclude_paths: Collection[str], limit: int
    ) -> list[ScoredChunk]:
        """The best `limit` chunks for `terms` with a positive score, never from `exclude_paths`."""
        if self._retriever is None:
            return []
        ids = self._retriever.get_tokens_ids(terms)
        if not ids:
            return []
        scores = np.asarray(self._retriever.get_scores_from_ids(ids), dtype=np.float64)
        for path in exclude_paths:
            scores[self._rows_by_path.get(path, [])] = 0.0
        limit = min(limit, int(np.count_nonzero(scores > 0)))
        if limit <= 0:
            return []
        top = np.argpartition(-scores, limit - 1)[:limit]
        ranked = sorted(top.tolist(), key=lambda row: (-scores[row], row))
        return [ScoredChunk(self.chunks[row], float(scores[row])) for row in ranked]


def _chunk_from_json(entry: dict[str, Any]) -> Chunk:
    return Chunk(**{**entry, "defines": tuple(entry.get("defines", ()))})


def _chunk_terms(chunk: Chunk) -> list[str]:
    return code_terms(chunk.path) + code_terms(chunk.scope) + code_terms(chunk.text)
