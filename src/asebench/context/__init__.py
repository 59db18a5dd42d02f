"""Context retrieval: which parts of the project a model sees beside the masked file."""

from asebench.context.model import Context, ContextRequest, Snippet
from asebench.context.registry import UnknownStrategyError, get_strategy, strategy_names
from asebench.context.strategy import ContextStrategy
from asebench.context.tokens import count_tokens

__all__ = [
    "Context",
    "ContextRequest",
    "ContextStrategy",
    "Snippet",
    "UnknownStrategyError",
    "count_tokens",
    "get_strategy",
    "strategy_names",
]
