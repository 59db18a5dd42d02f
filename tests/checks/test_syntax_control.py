"""The tree-sitter syntax check counts only where the original file passes it: real C files
hold macros tree-sitter cannot expand, and fail it whatever is inserted."""

from __future__ import annotations

import asyncio
from pathlib import Path

from asebench.checks.control import forget_controls
from asebench.checks.judge import judge_answer
from asebench.checks.verdict import Verdict
from asebench.code.task import mask_instance
from asebench.dataset.schema import Instance, Language, LocalSource, Location

MACRO_STRUCT = """\
#define CDECL
typedef struct hooks
{
    void *(CDECL *allocate)(unsigned long size);
} hooks;

"""
FUNCTION = "int twice(int x)\n{\n    return 2 * x;\n}\n"


def _judge(tmp_path: Path, prefix: str, answer_body: str) -> Verdict:
    project = tmp_path / "project"
    project.mkdir()
    (project / "lib.c").write_text(prefix + FUNCTION)
    start = prefix.count("\n") + 1
    instance = Instance(id="c-demo", cwe="CWE-20", language=Language.C,
                        source=LocalSource(path=str(project)),
                        locations=[Location(file="lib.c", start=start, end=start + 3,
                                            gold=FUNCTION)])
    forget_controls()
    task = mask_instance(instance, project)
    answer = f"```c\nint twice(int x)\n{{\n{answer_body}\n}}\n```"
    return asyncio.run(judge_answer(task, answer, project, dynamic=False))


def test_a_file_tree_sitter_cannot_parse_is_left_to_the_compiler(tmp_path: Path) -> None:
    verdict = _judge(tmp_path, MACRO_STRUCT, "    return x + x;")
    assert verdict.syntax_errors == {} and verdict.quality


def test_a_syntax_error_still_counts_where_the_original_parses(tmp_path: Path) -> None:
    verdict = _judge(tmp_path, "", "    return x + ;")
    assert "lib.c" in verdict.syntax_errors and not verdict.quality
