from __future__ import annotations

from pathlib import Path

from project_fixture import (
    CART_JS,
    HIDDEN_LINE,
    PROJECT,
    VIEWS_MASKED,
    write_tree,
)

from asebench.context import ContextRequest, count_tokens, get_strategy
from asebench.dataset.schema import Language


def request_for(
    tree: Path, masked: dict[str, str], language: Language, budget: int = 2000
) -> ContextRequest:
    return ContextRequest(
        tree=tree,
        masked_files=masked,
        language=language,
        budget_tokens=budget,
        tree_digest=f"test:{tree}",
    )


def test_the_helper_the_masked_region_calls_comes_first(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "project", PROJECT)
    request = request_for(tree, {"app/views.py": VIEWS_MASKED}, Language.PYTHON)

    context = get_strategy("bm25").build(request)

    first = context.snippets[0]
    assert first.path == "app/security.py"
    assert "def sanitize_filename(filename):" in first.text


def test_the_original_of_the_masked_file_never_appears(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "project", PROJECT)
    request = request_for(tree, {"app/views.py": VIEWS_MASKED}, Language.PYTHON, budget=100_000)

    context = get_strategy("bm25").build(request)

    assert context.snippets, "the rest of the project should still be retrieved"
    assert all(snippet.path != "app/views.py" for snippet in context.snippets)
    assert HIDDEN_LINE.strip() not in context.render()


def test_the_budget_is_never_exceeded(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "project", PROJECT)
    for budget in (0, 10, 40, 75, 150, 400):
        request = request_for(tree, {"app/views.py": VIEWS_MASKED}, Language.PYTHON, budget)

        context = get_strategy("bm25").build(request)

        assert context.tokens == count_tokens(context.render())
        assert context.tokens <= budget


def test_javascript_retrieves_the_imported_module(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "project", PROJECT)
    request = request_for(tree, {"web/cart.js": CART_JS}, Language.JAVASCRIPT)

    context = get_strategy("bm25").build(request)

    assert {snippet.path for snippet in context.snippets} == {"web/format.js"}
    assert "ORIGINAL-HIDDEN-JS" not in context.render()


def test_c_headers_are_indexed_for_c(tmp_path: Path) -> None:
    tree = write_tree(
        tmp_path / "project",
        {
            "include/packet.h": "#define PACKET_HEADER_LEN 16\n\n"
            "struct packet {\n  unsigned char *payload;\n  size_t payload_len;\n};\n",
            "src/parse.c": '#include "packet.h"\n\nint parse(struct packet *p) {\n'
            "  if (p->payload_len < PACKET_HEADER_LEN) return -1;\n  return 0;\n}\n",
            "src/other.c": "int add(int a, int b) {\n  return a + b;\n}\n",
        },
    )
    masked = '#include "packet.h"\n\nint parse(struct packet *p) {\n  /* <MASKED> */\n}\n'
    request = request_for(tree, {"src/parse.c": masked}, Language.C)

    context = get_strategy("bm25").build(request)

    assert context.snippets[0].path == "include/packet.h"
    assert "PACKET_HEADER_LEN" in context.snippets[0].text


def test_a_tree_without_files_of_the_language_gives_an_empty_context(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "project", {"README.md": "# docs\n", "main.go": "package main\n"})
    request = request_for(tree, {"main.py": "# <MASKED>\n"}, Language.PYTHON)

    first = get_strategy("bm25").build(request)
    again = get_strategy("bm25").build(request)

    assert first.snippets == again.snippets == []
