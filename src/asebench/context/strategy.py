"""The interface every context strategy implements."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from asebench.context.model import Context, ContextRequest


@runtime_checkable
class ContextStrategy(Protocol):
    """Picks the project code a model sees beside the masked file, within a token budget."""

    @property
    def name(self) -> str: ...

    def build(self, request: ContextRequest) -> Context: ...
