"""Context strategies by name: `get_strategy("bm25")`."""

from __future__ import annotations

from collections.abc import Callable

from asebench.context.bm25 import Bm25Context
from asebench.context.empty import NoContext
from asebench.context.graph import GraphContext
from asebench.context.masked_file import MaskedFileContext
from asebench.context.strategy import ContextStrategy
from asebench.options import CONTEXT_STRATEGIES

_FACTORIES: dict[str, Callable[[], ContextStrategy]] = {
    "none": NoContext,
    "file": MaskedFileContext,
    "bm25": Bm25Context,
    "graph": GraphContext,
}


assert tuple(sorted(_FACTORIES)) == CONTEXT_STRATEGIES, "options.CONTEXT_STRATEGIES is stale"


class UnknownStrategyError(ValueError):
    """A strategy name that is not registered."""


def strategy_names() -> list[str]:
    """The registered strategy names, sorted."""
    return sorted(_FACTORIES)


def get_strategy(name: str) -> ContextStrategy:
    """A new strategy instance for `name`; unknown names list the known ones."""
    factory = _FACTORIES.get(name)
    if factory is None:
        known = ", ".join(strategy_names())
        raise UnknownStrategyError(f"unknown context strategy {name!r}; known: {known}")
    return factory()
