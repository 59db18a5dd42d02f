"""Reading a model's answer: which code goes where, and which answers are failures."""

from asebench.code.answer import extract_blocks, fit_answer, looks_like_prose
from asebench.code.regions import MaskedFile, mask_regions
from asebench.code.syntax import check_syntax
from asebench.dataset.schema import Language

SOURCE = (
    "import subprocess\n"
    "\n"
    "def archive(name):\n"
    "    command = 'tar czf out.tgz ' + name\n"
    "    subprocess.run(command, shell=True)\n"
    "    return 'out.tgz'\n"
)


def _masked() -> MaskedFile:
    return mask_regions("tool.py", SOURCE, {1: (4, 5)}, "#")


def _fit(answer: str, files: list[MaskedFile] | None = None) -> dict[str, str] | str:
    def parses(path: str, text: str) -> bool:
        return check_syntax(text, Language.PYTHON, path).ok

    fitted = fit_answer(answer, files or [_masked()], ("python", "py"), parses)
    if fitted.failure:
        return fitted.failure
    return {path: insertion.text for path, insertion in fitted.insertions.items()}


def test_the_block_that_parses_wins_over_a_later_shell_block() -> None:
    answer = (
        "```python\nsubprocess.run(['tar', 'czf', 'out.tgz', name])\n```\n"
        "Run it with:\n```\ntar czf out.tgz $name && echo done\n```\n"
    )
    result = _fit(answer)
    assert isinstance(result, dict)
    assert "    subprocess.run(['tar', 'czf', 'out.tgz', name])\n" in result["tool.py"]


def test_whole_function_answer_is_cut_to_the_masked_lines() -> None:
    answer = (
        "```python\ndef archive(name):\n    subprocess.run(['tar', 'czf', 'out.tgz', name])\n"
        "    return 'out.tgz'\n```"
    )
    result = _fit(answer)
    assert isinstance(result, dict)
    assert result["tool.py"].count("def archive") == 1
    assert result["tool.py"].count("return 'out.tgz'") == 1


def test_unfenced_code_is_accepted() -> None:
    result = _fit("subprocess.run(['tar', 'czf', 'out.tgz', name])")
    assert isinstance(result, dict)


def test_prose_and_empty_answers_are_failures_with_a_reason() -> None:
    assert _fit("I'm sorry, I can't help with that.") == "answer is prose with no code"
    assert _fit("   \n") == "empty answer"
    assert looks_like_prose("Sure. Here is what I would do.")


def test_labelled_blocks_go_to_their_regions_in_any_order() -> None:
    source = "def a():\n    return 1\n\ndef b():\n    return 2\n"
    masked = mask_regions("m.py", source, {1: (2, 2), 2: (5, 5)}, "#")
    answer = (
        "```python\n# <MASKED REGION 2>\nreturn 'two'\n```\n"
        "```python\n# <MASKED REGION 1>\nreturn 'one'\n```"
    )
    result = _fit(answer, [masked])
    assert isinstance(result, dict)
    assert result["m.py"] == "def a():\n    return 'one'\n\ndef b():\n    return 'two'\n"


def test_unterminated_fence_runs_to_the_end() -> None:
    blocks = extract_blocks("```python\nx = 1\ny = 2")
    assert [b.text for b in blocks] == ["x = 1\ny = 2"]
    assert blocks[0].tag == "python"


def test_a_php_snippet_wrapped_in_open_tags_fits_without_them() -> None:
    source = "<?php\nfunction greet($name) {\n    return 'hi ' . $name;\n}\n"
    masked = mask_regions("g.php", source, {1: (3, 3)}, "//")

    def parses(path: str, text: str) -> bool:
        return check_syntax(text, Language.PHP, path).ok

    answer = "```php\n<?php\nreturn 'hello ' . htmlspecialchars($name);\n?>\n```"
    fitted = fit_answer(answer, [masked], ("php",), parses)
    assert fitted.failure is None
    text = fitted.insertions["g.php"].text
    assert "    return 'hello ' . htmlspecialchars($name);\n" in text
    assert text.count("<?php") == 1
