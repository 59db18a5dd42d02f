from __future__ import annotations

from pathlib import Path

from project_fixture import write_tree

from asebench.context.source_files import MAX_FILE_BYTES, source_files
from asebench.dataset.schema import Language


def test_c_indexes_headers_and_sources(tmp_path: Path) -> None:
    tree = write_tree(tmp_path, {"src/a.c": "", "include/a.h": "", "docs/a.md": ""})

    assert source_files(tree, Language.C) == ["include/a.h", "src/a.c"]


def test_typescript_also_indexes_javascript(tmp_path: Path) -> None:
    tree = write_tree(tmp_path, {"a.ts": "", "b.tsx": "", "c.js": "", "d.mjs": "", "e.py": ""})

    assert source_files(tree, Language.TYPESCRIPT) == ["a.ts", "b.tsx", "c.js", "d.mjs"]


def test_javascript_covers_module_and_jsx_extensions_but_not_typescript(tmp_path: Path) -> None:
    tree = write_tree(tmp_path, {"a.js": "", "b.mjs": "", "c.cjs": "", "d.jsx": "", "e.ts": ""})

    assert source_files(tree, Language.JAVASCRIPT) == ["a.js", "b.mjs", "c.cjs", "d.jsx"]


def test_vendored_minified_hidden_and_huge_files_are_skipped(tmp_path: Path) -> None:
    tree = write_tree(
        tmp_path,
        {
            "lib/app.js": "",
            "node_modules/left-pad/index.js": "",
            "vendor/jquery.js": "",
            "static/app.min.js": "",
            ".cache/x.js": "",
            "lib/huge.js": "x" * (MAX_FILE_BYTES + 1),
        },
    )

    assert source_files(tree, Language.JAVASCRIPT) == ["lib/app.js"]


def test_tests_are_indexed(tmp_path: Path) -> None:
    tree = write_tree(tmp_path, {"pkg/core.py": "", "tests/test_core.py": ""})

    assert source_files(tree, Language.PYTHON) == ["pkg/core.py", "tests/test_core.py"]
