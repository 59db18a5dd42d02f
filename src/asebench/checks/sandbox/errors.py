"""Errors raised when code cannot be sandboxed (never a reason to run it unsandboxed)."""

from __future__ import annotations


class SandboxUnavailable(RuntimeError):
    """bubblewrap (or a tool it needs) is missing or cannot create its namespaces."""
