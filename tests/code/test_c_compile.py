"""Turning a compiler call the project's build made into the C toolchain check of a candidate:
which flags are kept, which are dropped, and when no command is known."""

from __future__ import annotations

import json
from pathlib import Path

from asebench.code.c_compile import (
    BREAKAGE_ERRORS,
    COMPILE_COMMANDS,
    project_compile_argv,
    project_flags,
)


def test_defines_include_paths_and_language_flags_are_kept_with_paths_made_absolute() -> None:
    recorded = ["-std=gnu99", "-DHAVE_CONFIG_H", "-I.", "-I", "../include", "-Igen",
                "-include", "config.h", "-O2", "-Wall", "-fPIC", "-c", "lib/a.c"]
    assert project_flags(recorded, "/env/build/lib") == [
        "-std=gnu99", "-DHAVE_CONFIG_H", "-I/env/build/lib", "-I", "/env/build/include",
        "-I/env/build/lib/gen", "-include", "/env/build/lib/config.h", "-O2", "-Wall", "-fPIC"]


def test_output_dependency_files_link_options_and_other_sources_are_dropped() -> None:
    recorded = ["-o", "a.o", "-MD", "-MF", ".deps/a.Tpo", "-MT", "a.o", "-Wp,-MD,.a.d",
                "a.c", "b.c", "libx.a", "-L/usr/lib", "-lm", "-Wl,--as-needed", "-shared",
                "-DX=1"]
    assert project_flags(recorded, "/env/build") == ["-DX=1"]


def test_w_is_dropped_because_it_would_silence_the_breakage_errors() -> None:
    assert project_flags(["-std=gnu99", "-O0", "-g", "-w"], "/env/build") == [
        "-std=gnu99", "-O0", "-g"]


def test_a_response_file_is_a_reason_not_a_command() -> None:
    assert "response file" in str(project_flags(["@flags.rsp", "a.c"], "/env/build"))


def _environment(tmp_path: Path, entries: list[dict[str, object]]) -> Path:
    env = tmp_path / "env"
    env.mkdir()
    (env / COMPILE_COMMANDS).write_text(json.dumps(entries))
    return env


def test_the_candidate_replaces_the_recorded_file_and_gets_the_breakage_errors(
    tmp_path: Path,
) -> None:
    env = _environment(tmp_path, [
        {"directory": "/env/build/src", "file": "b.c", "arguments": ["cc", "-c", "b.c"]},
        {"directory": "/env/build/src", "file": "a.c",
         "arguments": ["gcc", "-DA", "-c", "-o", "a.o", "a.c"]},
    ])
    argv = project_compile_argv(Path("/cand"), "src/a.c", Path("/tmp"), Path("/env"), env)
    assert argv == ["gcc", "-DA", *BREAKAGE_ERRORS, "-c", "-o", "/tmp/candidate.o",
                    "/cand/src/a.c"]


def test_a_file_the_build_never_compiled_gives_the_reason(tmp_path: Path) -> None:
    env = _environment(tmp_path, [
        {"directory": "/env/build", "file": "a.c", "arguments": ["cc", "-c", "a.c"]}])
    reason = project_compile_argv(Path("/cand"), "b.h", Path("/tmp"), Path("/env"), env)
    assert reason == "the environment build compiled no b.h"


def test_an_environment_without_the_record_gives_the_reason(tmp_path: Path) -> None:
    (tmp_path / "env").mkdir()
    reason = project_compile_argv(Path("/cand"), "a.c", Path("/tmp"), Path("/env"),
                                  tmp_path / "env")
    assert reason == "the environment build recorded no compile commands"


def test_a_build_that_recorded_no_call_says_so(tmp_path: Path) -> None:
    env = _environment(tmp_path, [])
    reason = project_compile_argv(Path("/cand"), "a.c", Path("/tmp"), Path("/env"), env)
    assert str(reason).startswith("the environment build compiled no C file through cc/gcc")
