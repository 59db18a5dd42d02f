"""Names the command line offers as choices, kept apart from the modules that implement them so
that `asebench --help` and the first progress line come before Inspect and the retrievers load.
`context.registry` and `harness.solvers` check at import that they implement exactly these."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

BASELINES: tuple[str, ...] = ("reference", "vulnerable")
"""Answers that call no model: the gold fix, or the original vulnerable code."""
CONTEXT_STRATEGIES: tuple[str, ...] = ("bm25", "file", "graph", "none")
"""How project context is retrieved for the prompt (sorted)."""


def installed_version(package: str) -> str | None:
    """The installed version of `package`, or None when it is not installed."""
    try:
        return version(package)
    except PackageNotFoundError:
        return None
