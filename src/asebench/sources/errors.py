"""The error raised when a project release cannot be fetched, unpacked or verified."""

from __future__ import annotations

from collections.abc import Sequence

STDERR_TAIL_CHARS = 2000


class SourceError(Exception):
    """A source could not be fetched: names the source, and the command and its stderr tail;
    `field` is the record's `source` field at fault when one is (`sha256` for a pinned digest
    the download does not match)."""

    def __init__(
        self,
        source: str,
        message: str,
        *,
        command: Sequence[str] | None = None,
        stderr: str = "",
        field: str | None = None,
    ) -> None:
        self.source = source
        self.message = message
        self.field = field
        self.command = list(command) if command is not None else None
        self.stderr = stderr[-STDERR_TAIL_CHARS:]
        text = f"{source}: {message}"
        if self.command is not None:
            text += f"\n  command: {' '.join(self.command)}"
        if self.stderr.strip():
            text += "\n  stderr (tail):\n" + self.stderr.rstrip()
        super().__init__(text)
