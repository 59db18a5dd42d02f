"""What an agent may use per sample."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AgentLimits:
    """Per-sample limits of an agent (None: no limit): messages in the conversation, tokens
    (input + output, as Inspect meters them), wall-clock seconds; `command_timeout_s` bounds
    one tool command."""

    messages: int | None = 60
    tokens: int | None = 400_000
    wall_s: float | None = 1200.0
    command_timeout_s: int = 180
