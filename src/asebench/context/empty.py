"""The `none` strategy: no retrieved context at all (the masked file alone is in the prompt)."""

from __future__ import annotations

from asebench.context.model import Context, ContextRequest


class NoContext:
    name = "none"

    def build(self, request: ContextRequest) -> Context:
        """An empty context, whatever the request."""
        return Context()
