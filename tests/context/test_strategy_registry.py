from __future__ import annotations

import pytest

from asebench.context import ContextStrategy, UnknownStrategyError, get_strategy, strategy_names


def test_every_registered_name_builds_a_strategy_of_that_name() -> None:
    for name in strategy_names():
        strategy = get_strategy(name)

        assert isinstance(strategy, ContextStrategy)
        assert strategy.name == name


def test_an_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(UnknownStrategyError, match=r"'embeddings'.*known: bm25, file, graph, none"):
        get_strategy("embeddings")
