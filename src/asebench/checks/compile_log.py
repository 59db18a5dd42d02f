"""Record every compiler call of `environment.build` into the environment's
`compile_commands.json`, so the C toolchain check can compile a candidate file the way the
project's build compiled the original (`code.c_compile`).

How: the build's PATH starts with a directory of small wrapper scripts named like the C
compilers (`cc`, `gcc`, `clang`, `c89`, `c99`) that exist on the host. Each writes its working
directory and argv, NUL-separated, into a file of its own under the build directory (so
parallel `make -j` calls do not interleave), then `exec`s the real compiler with the same
arguments: the build itself is unchanged. This catches `make`, `./configure` + `make`,
libtool and CMake builds alike, where parsing `make -n` output would miss generated
Makefiles and shell loops. A build that calls a compiler by absolute path (`/usr/bin/gcc`) is
not seen; its files then fall back to `gcc -fsyntax-only`, with that reason recorded.

Only calls that compiled a C source file lying in the built tree and still there afterwards
are kept (`configure`'s `conftest.c` is gone by then), with the built tree's path as the
compiler saw it (`BUILD_TREE`) replaced by the one PoCs and checks see (`/env/build`).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
from pathlib import Path

from asebench.code.c_compile import C_SOURCE_SUFFIXES, COMPILE_COMMANDS

COMPILERS = ("cc", "gcc", "clang", "c89", "c99")
WRAPPERS = "cc-wrappers"
LOG = "cc-log"
RECORD_BYTES = 1024 * 1024
"""A logged call longer than this is not a compiler call of the build: it is skipped."""


def install_wrappers(build: Path, seen_as: str, path: str) -> str:
    """Write the wrapper scripts into `build/cc-wrappers` (the sandbox sees `build` at
    `seen_as`) for each compiler found on `path`; returns the PATH that puts them first."""
    wrappers, log = build / WRAPPERS, build / LOG
    wrappers.mkdir()
    log.mkdir()
    for name in COMPILERS:
        real = shutil.which(name, path=path)
        if real is None:
            continue
        script = wrappers / name
        logged = f"{seen_as}/{LOG}"
        script.write_text(
            "#!/bin/sh\n"
            "# asebench: log this compiler call (directory, argv), then run the compiler\n"
            f'log=$(mktemp "{logged}/$(date +%s%N)-XXXXXX" 2>/dev/null) && '
            f'printf \'%s\\0\' {shlex.quote(name)} "$(pwd)" "$@" > "$log"\n'
            f'exec {shlex.quote(real)} "$@"\n')
        script.chmod(0o755)
    return f"{seen_as}/{WRAPPERS}:{path}"


def write_compile_commands(build: Path, tree: Path, tree_seen_as: str, view: str,
                           target: Path) -> int:
    """Turn the logged calls into `target/compile_commands.json` (one entry per C source file
    each call compiled, in call order) and return how many entries it holds. `tree` is the
    built tree on the host, which the build saw at `tree_seen_as` and later sandboxes see at
    `view`."""
    entries = []
    for record in _records(build / LOG):
        fields = record.split(b"\0")
        if len(fields) < 3:
            continue  # the call was cut short before its record was complete
        words = [field.decode("utf-8", "surrogateescape") for field in fields[:-1]]
        name, directory, arguments = words[0], words[1], words[2:]
        for file in _sources(arguments):
            where = os.path.normpath(os.path.join(directory, file))
            if not _within(where, tree_seen_as):
                continue
            if not (tree / os.path.relpath(where, tree_seen_as)).is_file():
                continue  # a probe file of configure, removed since
            entries.append({
                "directory": _mapped(directory, tree_seen_as, view),
                "arguments": [name, *(_mapped(a, tree_seen_as, view) for a in arguments)],
                "file": _mapped(where, tree_seen_as, view),
            })
    (target / COMPILE_COMMANDS).write_text(json.dumps(entries, indent=1) + "\n")
    return len(entries)


def _records(log: Path) -> list[bytes]:
    """The logged calls in call order. The build ran as the sandbox user, who owned this
    directory: a symlink or special file planted there (to make us read a host file into the
    environment) is skipped, never followed."""
    if log.is_symlink() or not log.is_dir():
        return []
    records = []
    for path in sorted(log.iterdir()):
        if path.is_symlink() or not path.is_file() or path.stat().st_size > RECORD_BYTES:
            continue
        records.append(path.read_bytes())
    return records


def _sources(arguments: list[str]) -> list[str]:
    """The C source files a call compiles (its non-option words with a C suffix)."""
    return [a for a in arguments if not a.startswith("-") and a.endswith(C_SOURCE_SUFFIXES)]


def _within(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


def _mapped(text: str, old: str, new: str) -> str:
    """`text` with each path under `old` (a whole path component) moved under `new`."""
    return re.sub(re.escape(old.rstrip("/")) + r"(?=/|$|\s)", new.rstrip("/"), text)
