"""A `text_editor` tool for the agent: Inspect's interface, over the sandbox's file API.

Inspect's own `text_editor` runs a helper program it first installs into the sandbox under
`/var/tmp`, with root-access probes; the bwrap sandbox keeps only `/workspace` between
commands and never runs as root, so that helper cannot live there. This tool takes the same
commands and arguments (`view`, `create`, `str_replace`, `insert`, `undo_edit`) and does them
with the sandbox's `read_file`, `write_file` and `exec`, which stay inside `/workspace`.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import PurePosixPath
from typing import Literal

from inspect_ai.tool import Tool, ToolError, tool
from inspect_ai.util import sandbox

WORKSPACE = PurePosixPath("/workspace")
UNDO_DEPTH = 10
VIEW_DIRECTORY_DEPTH = 2


def _inside(path: str) -> str:
    """`path` (absolute, or relative to /workspace) as a path inside /workspace."""
    full = PurePosixPath(path) if path.startswith("/") else WORKSPACE / path
    return str(full)


def _numbered(text: str, first: int) -> str:
    return "\n".join(f"{n:6}\t{line}" for n, line in enumerate(text.split("\n"), start=first))


@tool(name="text_editor")
def text_editor() -> Tool:
    """Viewing, creating and editing files in the sandbox's /workspace."""
    history: dict[str, list[str]] = defaultdict(list)

    async def read(path: str) -> str:
        try:
            return await sandbox().read_file(path)
        except FileNotFoundError as exc:
            raise ToolError(f"{path}: no such file") from exc
        except (PermissionError, UnicodeDecodeError) as exc:
            raise ToolError(f"{path}: {exc}") from exc

    async def write(path: str, text: str, *, remember: bool = True) -> None:
        if remember:
            try:
                old = await sandbox().read_file(path)
            except (FileNotFoundError, UnicodeDecodeError):
                old = None
            if old is not None:
                history[path] = [*history[path], old][-UNDO_DEPTH:]
        try:
            await sandbox().write_file(path, text)
        except PermissionError as exc:
            raise ToolError(f"{path}: {exc}") from exc

    async def view(path: str, view_range: list[int] | None) -> str:
        try:
            text = await sandbox().read_file(path)
        except FileNotFoundError:  # a directory, or nothing
            listing = await sandbox().exec(["find", path, "-maxdepth", str(VIEW_DIRECTORY_DEPTH),
                                            "-not", "-path", "*/.*"])
            if not listing.success:
                raise ToolError(f"{path}: no such file or directory") from None
            return (f"Files and directories up to {VIEW_DIRECTORY_DEPTH} levels deep in "
                    f"{path}:\n{listing.stdout}")
        except (PermissionError, UnicodeDecodeError) as exc:
            raise ToolError(f"{path}: {exc}") from exc
        if view_range is None:
            return _numbered(text, 1)
        lines = text.split("\n")
        start, end = view_range[0], view_range[1] if len(view_range) > 1 else -1
        end = len(lines) if end == -1 else end
        if not 1 <= start <= max(end, 1) or end > len(lines):
            raise ToolError(f"view_range {view_range} is outside the file's 1..{len(lines)}")
        return _numbered("\n".join(lines[start - 1:end]), start)

    async def execute(
        command: Literal["view", "create", "str_replace", "insert", "undo_edit"],
        path: str,
        file_text: str | None = None,
        insert_line: int | None = None,
        insert_text: str | None = None,
        new_str: str | None = None,
        old_str: str | None = None,
        view_range: list[int] | None = None,
    ) -> str:
        """
        Use this function to execute text editing commands.

        Args:
          command: The command to execute. Note: `undo_edit` retains only the last 10 edits per file.
          path: Path to file or directory, e.g. `/workspace/file.py` or `src` (relative to /workspace).
          file_text: Required parameter of `create` command, with the content of the file to be created.
          insert_line: Required parameter of `insert` command. The `new_str` will be inserted AFTER the line `insert_line` of `path`.
          insert_text: Required parameter of `insert` command containing the string to insert.
          new_str: Optional parameter of `str_replace` command containing the new string (if not given, no string will be added).
          old_str: Required parameter of `str_replace` command containing the string in `path` to replace.
          view_range: Optional parameter of `view` command when `path` points to a file. If none is given, the full file is shown. If provided, the file will be shown in the indicated line number range, e.g. [11, 12] will show lines 11 and 12. Indexing at 1 to start. Setting `[start_line, -1]` shows all lines from `start_line` to the end of the file.

        Returns:
          The output of the command.
        """  # noqa: E501 (the wording of Inspect's own tool, line for line)
        where = _inside(path)
        if command == "view":
            return await view(where, view_range)
        if command == "create":
            if file_text is None:
                raise ToolError("create needs file_text")
            await write(where, file_text)
            return f"File created successfully at: {where}"
        if command == "str_replace":
            if old_str is None:
                raise ToolError("str_replace needs old_str")
            text = await read(where)
            count = text.count(old_str)
            if count != 1:
                raise ToolError(f"old_str occurs {count} times in {where}; it must occur once")
            await write(where, text.replace(old_str, new_str or "", 1))
            return f"The file {where} has been edited."
        if command == "insert":
            added = new_str if new_str is not None else insert_text
            if insert_line is None or added is None:
                raise ToolError("insert needs insert_line and new_str")
            lines = (await read(where)).split("\n")
            if not 0 <= insert_line <= len(lines):
                raise ToolError(f"insert_line {insert_line} is outside 0..{len(lines)}")
            lines[insert_line:insert_line] = added.split("\n")
            await write(where, "\n".join(lines))
            return f"The file {where} has been edited."
        if not history[where]:
            raise ToolError(f"no edit of {where} to undo")
        previous = history[where].pop()
        await write(where, previous, remember=False)
        return f"Last edit to {where} undone."

    return execute
