"""Cached trees are published atomically: a racing publisher of the same digest is harmless."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from asebench.sources.tree import build_tree, tree_path


def _fill(text: str) -> Callable[[Path], None]:
    def fill(staging: Path) -> None:
        (staging / "file.txt").write_text(text)

    return fill


def test_publishing_a_tree_that_appeared_meanwhile_keeps_the_first() -> None:
    def racing_fill(staging: Path) -> None:
        build_tree("d1", _fill("first"))  # another process finishes first
        (staging / "file.txt").write_text("second")

    tree = build_tree("d1", racing_fill)
    assert (tree.root / "file.txt").read_text() == "first"
    assert [p.name for p in tree.root.parent.iterdir()] == ["d1"]


def test_failed_fill_leaves_nothing_behind() -> None:
    def broken_fill(staging: Path) -> None:
        (staging / "half.txt").write_text("x")
        raise RuntimeError("download interrupted")

    with pytest.raises(RuntimeError):
        build_tree("d2", broken_fill)
    assert not tree_path("d2").exists()
    assert list(tree_path("d2").parent.iterdir()) == []


def test_cached_tree_is_returned_without_filling_again() -> None:
    build_tree("d3", _fill("once"))
    calls: list[Path] = []
    tree = build_tree("d3", calls.append)
    assert calls == []
    assert (tree.root / "file.txt").read_text() == "once"
