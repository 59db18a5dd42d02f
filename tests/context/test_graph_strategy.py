from __future__ import annotations

from pathlib import Path

from project_fixture import PROJECT, VIEWS_MASKED, write_tree

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
        tree_digest=f"graph:{tree}",
    )


def test_graph_returns_the_definitions_the_masked_code_uses(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "project", PROJECT)
    request = request_for(tree, {"app/views.py": VIEWS_MASKED}, Language.PYTHON)

    context = get_strategy("graph").build(request)

    first_lines = {snippet.text.split("\n")[0] for snippet in context.snippets}
    assert "def sanitize_filename(filename):" in first_lines
    assert "def send_file(path):" in first_lines
    assert {snippet.path for snippet in context.snippets} == {"app/security.py", "app/storage.py"}


def test_graph_never_fetches_a_definition_hidden_in_the_masked_region(tmp_path: Path) -> None:
    original = (
        "def _hidden_check(value):\n    return value.strip()  # ORIGINAL\n\n\n"
        "def handle(value):\n    return _hidden_check(value)\n"
    )
    masked = "# <MASKED>\n\n\ndef handle(value):\n    return log_value(_hidden_check(value))\n"
    other = "def log_value(value):\n    print(value)\n    return value\n"
    tree = write_tree(tmp_path / "project", {"app/handler.py": original, "app/log.py": other})
    request = request_for(tree, {"app/handler.py": masked}, Language.PYTHON)

    context = get_strategy("graph").build(request)

    assert [snippet.path for snippet in context.snippets] == ["app/log.py"]
    assert "ORIGINAL" not in context.render()


def test_graph_finds_c_types_and_macros_in_headers(tmp_path: Path) -> None:
    tree = write_tree(
        tmp_path / "project",
        {
            "include/packet.h": "#define PACKET_HEADER_LEN 16\n\n"
            "struct packet {\n  unsigned char *payload;\n  size_t payload_len;\n};\n",
            "src/parse.c": "int parse(struct packet *p) {\n"
            "  if (p->payload_len < PACKET_HEADER_LEN) return -1;\n  return 0;\n}\n",
        },
    )
    masked = '#include "packet.h"\n\nint parse(struct packet *p) {\n  /* <MASKED> */\n}\n'
    request = request_for(tree, {"src/parse.c": masked}, Language.C)

    context = get_strategy("graph").build(request)

    assert [snippet.path for snippet in context.snippets] == ["include/packet.h"]
    assert "struct packet {" in context.render()


def test_graph_respects_the_budget(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "project", PROJECT)
    for budget in (0, 20, 60, 120):
        request = request_for(tree, {"app/views.py": VIEWS_MASKED}, Language.PYTHON, budget)

        context = get_strategy("graph").build(request)

        assert context.tokens == count_tokens(context.render()) <= budget
