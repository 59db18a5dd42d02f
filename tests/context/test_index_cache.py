from __future__ import annotations

from pathlib import Path

import pytest
from project_fixture import PROJECT, VIEWS_MASKED, write_tree

from asebench.context import ContextRequest, get_strategy
from asebench.context.index_cache import index_path, load_or_build
from asebench.dataset.schema import Language


def test_a_second_load_for_the_same_digest_comes_from_the_cache(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "project", PROJECT)

    first = load_or_build(tree, Language.PYTHON, "digest-1")
    second = load_or_build(tree, Language.PYTHON, "digest-1")

    assert (first.origin, second.origin) == ("built", "cache")
    assert second.chunks == first.chunks


def test_the_strategy_writes_the_index_once_and_then_reuses_it(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "project", PROJECT)
    request = ContextRequest(
        tree=tree,
        masked_files={"app/views.py": VIEWS_MASKED},
        language=Language.PYTHON,
        budget_tokens=500,
        tree_digest="digest-2",
    )
    strategy = get_strategy("bm25")

    first = strategy.build(request)
    saved = index_path("digest-2", Language.PYTHON) / "params.index.json"
    written = saved.stat().st_mtime_ns
    second = strategy.build(request)

    assert saved.stat().st_mtime_ns == written
    assert second == first


def test_each_language_of_a_tree_has_its_own_index(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "project", PROJECT)

    python = load_or_build(tree, Language.PYTHON, "digest-3")
    javascript = load_or_build(tree, Language.JAVASCRIPT, "digest-3")

    assert {chunk.path for chunk in javascript.chunks} == {"web/format.js", "web/cart.js"}
    assert all(chunk.path.endswith(".py") for chunk in python.chunks)


def test_a_missing_tree_is_an_error_and_nothing_is_cached(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_or_build(tmp_path / "absent", Language.PYTHON, "digest-4")

    assert not index_path("digest-4", Language.PYTHON).exists()
