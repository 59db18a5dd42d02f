"""Progress lines on standard error while a run prepares (loading, rule validation, fetching,
masking, indexing), so a cold start is never silent: the first line comes before any slow step.

Plain lines rather than a live bar: they read the same in a terminal, a CI log and Inspect's
own display, which takes over the terminal once the evaluation starts.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field


def say(text: str) -> None:
    """One progress line on standard error, flushed at once."""
    print(f"asebench: {text}", file=sys.stderr, flush=True)


@dataclass
class Steps:
    """Counts `total` steps of one kind and says each as it finishes, with its duration."""

    what: str
    total: int
    done: int = 0
    started: float = field(default_factory=time.monotonic)

    def finished(self, name: str, seconds: float, note: str = "") -> None:
        self.done += 1
        extra = f", {note}" if note else ""
        say(f"{self.what} {self.done}/{self.total}: {name} ({seconds:.1f} s{extra})")

    def close(self) -> None:
        say(f"{self.what}: {self.done}/{self.total} in {time.monotonic() - self.started:.1f} s")
