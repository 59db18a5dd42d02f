"""The C toolchain check with the project's own flags: one candidate file compiled the way the
project's build compiled the original (`environment.build`, whose compiler calls are recorded
in the environment's `compile_commands.json`, `checks.compile_log`).

`gcc -fsyntax-only` on a lone file misses what a real build sees: the defines that switch a
header's declarations on, the include paths of generated headers (`config.h`), the language
standard, and it only warns where a build would break later (a call of an undeclared function
links against nothing; a pointer of the wrong type corrupts memory). So the check reuses the
recorded command of that file (compiler, `-I`/`-D`/`-U`/`-include`, `-std`, `-f…`, `-W…`,
`-O…`), drops what belongs to writing or linking (`-o`, `-c`, dependency files, libraries,
the other source files) and `-w` (it would hide everything below), and adds
`BREAKAGE_ERRORS`, then `-c -o <scratch>/candidate.o <candidate>`.

The JSON file follows clang's compilation-database format: a list of
`{"directory", "arguments", "file"}` with paths as the sandbox sees the built tree (`/env/build`).
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

COMPILE_COMMANDS = "compile_commands.json"
"""The file, at the environment's top (`/env/compile_commands.json`), listing the compiler
calls of `environment.build`."""
BUILT_SOURCE = "build"
"""The environment folder holding the built copy of the source (`/env/build`)."""
BREAKAGE_ERRORS = (
    "-Werror=implicit-function-declaration",
    "-Werror=implicit-int",
    "-Werror=incompatible-pointer-types",
    "-Werror=int-conversion",
    "-Werror=return-type",
)
"""Warnings that mean broken code, turned into errors (gcc 14 makes the first four errors by
default): a call of an undeclared function, an int assumed for a missing type, a pointer
passed or assigned as a pointer to another type, an integer used as a pointer (or back), a
non-void function that returns no value."""
C_SOURCE_SUFFIXES = (".c", ".i")

_DROPPED_WITH_VALUE = {"-o", "-MF", "-MT", "-MQ", "-Xlinker", "-L", "-l", "-T", "-u", "-z"}
_DROPPED = {"-c", "-S", "-E", "-M", "-MM", "-MD", "-MMD", "-MP", "-MG", "-w", "-shared",
            "-static", "-rdynamic", "-pie", "-save-temps", "-v", "--verbose", "-s"}
_DROPPED_PREFIXES = ("-o", "-MF", "-MT", "-MQ", "-Wl,", "-Wp,-MD,", "-Wp,-MMD,", "-L", "-l",
                     "-save-temps=")
_PATH_OPTIONS = ("-I", "-isystem", "-iquote", "-idirafter", "-include", "-imacros")
"""Options whose value is a path, made absolute against the recorded directory."""
_KEPT_WITH_VALUE = {*_PATH_OPTIONS, "-D", "-U", "-x", "-Xpreprocessor", "-iprefix",
                    "-iwithprefix", "-isysroot", "--sysroot", "-aux-info", "-arch"}


@lru_cache(maxsize=32)
def _entries(path: str, mtime_ns: int) -> tuple[tuple[str, tuple[str, ...], str], ...]:
    """The entries of a compilation database: (directory, arguments, absolute file)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    entries = []
    for entry in data:
        directory = str(entry["directory"])
        arguments = tuple(str(a) for a in entry["arguments"])
        file = os.path.normpath(os.path.join(directory, str(entry["file"])))
        entries.append((directory, arguments, file))
    return tuple(entries)


def recorded_command(env_host: Path, env_view: Path, rel: str
                     ) -> tuple[str, tuple[str, ...]] | str:
    """The first recorded compiler call of `rel` (relative to the source root) as
    (directory, arguments), or why there is none. `env_host` is the environment directory on
    the host (the file is read there), `env_view` where the sandbox sees it."""
    path = env_host / COMPILE_COMMANDS
    if not path.is_file():
        return "the environment build recorded no compile commands"
    try:
        entries = _entries(str(path), path.stat().st_mtime_ns)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return f"{COMPILE_COMMANDS} of the environment is unreadable ({exc})"
    if not entries:
        return ("the environment build compiled no C file through cc/gcc/clang on its PATH (a "
                "compiler named by absolute path is not recorded)")
    wanted = os.path.normpath(str(env_view / BUILT_SOURCE / rel))
    for directory, arguments, file in entries:
        if file == wanted:
            return directory, arguments
    return f"the environment build compiled no {rel}"


def project_compile_argv(tree: Path, rel: str, scratch: Path, env_view: Path,
                         env_host: Path) -> list[str] | str:
    """The argv compiling candidate `tree/rel` with the project's recorded flags (see the
    module docstring), writing only under `scratch`; or, as a string, why no such command is
    known (the caller then falls back to `gcc -fsyntax-only` and records the reason)."""
    recorded = recorded_command(env_host, env_view, rel)
    if isinstance(recorded, str):
        return recorded
    directory, arguments = recorded
    kept = project_flags(arguments[1:], directory)
    if isinstance(kept, str):
        return kept
    return [arguments[0], *kept, *BREAKAGE_ERRORS, "-c", "-o", str(scratch / "candidate.o"),
            str(tree / rel)]


def project_flags(arguments: tuple[str, ...] | list[str], directory: str) -> list[str] | str:
    """The compile flags of one recorded call (its arguments after the compiler's name), path
    values made absolute against `directory`; or why they cannot be reused (a response file,
    whose content the record does not hold)."""
    kept: list[str] = []
    args = iter(arguments)
    for arg in args:
        if arg.startswith("@"):
            return f"the recorded command reads its options from a response file ({arg})"
        if arg in _DROPPED_WITH_VALUE:
            next(args, None)
        elif arg in _DROPPED or arg.startswith(_DROPPED_PREFIXES):
            continue
        elif arg in _KEPT_WITH_VALUE:
            value = next(args, "")
            kept += [arg, _absolute(value, directory) if arg in _PATH_OPTIONS else value]
        elif not arg.startswith("-"):
            continue  # a source, object or archive file: the candidate replaces them
        else:
            kept.append(_joined_path_absolute(arg, directory))
    return kept


def _absolute(value: str, directory: str) -> str:
    return value if os.path.isabs(value) else os.path.normpath(os.path.join(directory, value))


def _joined_path_absolute(arg: str, directory: str) -> str:
    """`-Iinclude` → `-I<directory>/include` (one-word path options)."""
    for option in _PATH_OPTIONS:
        if arg.startswith(option) and len(arg) > len(option):
            return option + _absolute(arg[len(option):], directory)
    return arg
