from __future__ import annotations

from pathlib import Path

from project_fixture import PROJECT, VIEWS_MASKED, write_tree

from asebench.context import Context, ContextRequest, Snippet, get_strategy
from asebench.dataset.schema import Language


def request(tree: Path, budget: int = 1000) -> ContextRequest:
    return ContextRequest(
        tree=tree,
        masked_files={"app/views.py": VIEWS_MASKED},
        language=Language.PYTHON,
        budget_tokens=budget,
        tree_digest="baseline",
    )


def test_none_gives_an_empty_context(tmp_path: Path) -> None:
    tree = write_tree(tmp_path, PROJECT)

    context = get_strategy("none").build(request(tree))

    assert context == Context()
    assert context.render() == ""


def test_file_gives_the_masked_text_not_the_original_on_disk(tmp_path: Path) -> None:
    tree = write_tree(tmp_path, PROJECT)

    context = get_strategy("file").build(request(tree))

    [only] = context.snippets
    assert (only.path, only.start_line, only.text) == ("app/views.py", 1, VIEWS_MASKED)
    assert "ORIGINAL-HIDDEN" not in context.render()


def test_file_is_cut_to_the_budget(tmp_path: Path) -> None:
    tree = write_tree(tmp_path, PROJECT)

    context = get_strategy("file").build(request(tree, budget=40))

    assert 0 < context.tokens <= 40
    assert VIEWS_MASKED.startswith(context.snippets[0].text)


def test_a_snippet_renders_with_its_path_and_line_span() -> None:
    snippet = Snippet(path="a.py", start_line=3, end_line=4, text="x = 1\ny = 2", score=1.0)

    context = Context(snippets=[snippet], tokens=0)

    assert context.render() == "### a.py (lines 3-4)\nx = 1\ny = 2\n"
