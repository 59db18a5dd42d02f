"""Reading a model's answer: which code goes where, and which answers are failures."""

from asebench.code.answer import FittedAnswer, extract_blocks, fit_answer, looks_like_prose
from asebench.code.languages import info
from asebench.code.regions import MaskedFile, Span, mask_regions
from asebench.code.syntax import check_syntax
from asebench.code.task import mask_file
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


def _fit_file(path: str, source: str, regions: dict[int, tuple[int, int]], answer: str,
              language: Language = Language.PYTHON) -> FittedAnswer:
    masked = mask_file(path, source, regions, language)

    def parses(p: str, text: str) -> bool:
        return check_syntax(text, language, p).ok

    return fit_answer(answer, [masked], info(language).fence_tags, parses, language=language)


HELPERS = (
    "import re\n"
    "\n"
    "\n"
    "class Filter:\n"
    "    def run(self, text):\n"
    "        def clean(value):\n"
    "            return value.strip()\n"
    "\n"
    "        return clean(text)\n"
)


def test_a_later_usage_block_does_not_replace_the_block_that_defines_the_region() -> None:
    answer = (
        "```python\ndef clean(value):\n    return re.sub(r'\\s+', ' ', value).strip()\n```\n"
        "Try it:\n```python\nprint(Filter().run('  a  b '))\n```\n"
    )
    fitted = _fit_file("f.py", HELPERS, {1: (6, 7)}, answer)
    assert fitted.failure is None
    text = fitted.insertions["f.py"].text
    assert "        def clean(value):\n            return re.sub(" in text
    assert "print(" not in text


def test_the_region_defines_the_names_of_its_outermost_definitions() -> None:
    masked = mask_file("f.py", HELPERS, {1: (6, 7)}, Language.PYTHON)
    assert masked.defines[1] == frozenset({"clean"})
    assert mask_file("f.py", HELPERS, {1: (5, 9)}, Language.PYTHON).defines[1] == {"run"}


def test_imports_and_helpers_an_answer_brings_go_to_their_place_with_spans() -> None:
    answer = (
        "```python\nimport unicodedata\nimport re\n\n"
        "def _fold(value):\n    return unicodedata.normalize('NFKC', value)\n\n"
        "def clean(value):\n    return _fold(value).strip()\n```"
    )
    fitted = _fit_file("f.py", HELPERS, {1: (6, 7)}, answer)
    assert fitted.failure is None
    insertion = fitted.insertions["f.py"]
    lines = insertion.text.split("\n")
    assert lines[:2] == ["import re", "import unicodedata"]  # `import re` is not repeated
    assert insertion.text.count("import re\n") == 1
    helper = insertion.spans["1.helpers"]
    assert lines[helper.start - 1 : helper.end] == [
        "def _fold(value):", "    return unicodedata.normalize('NFKC', value)"]
    assert insertion.spans["1.imports"] == Span(2, 2)
    region = insertion.spans[1]
    assert lines[region.start - 1 : region.end] == [
        "        def clean(value):", "            return _fold(value).strip()"]
    assert check_syntax(insertion.text, Language.PYTHON).ok


def test_a_nested_definition_in_a_body_answer_stays_in_the_body() -> None:
    source = "def run(text):\n    value = text.strip()\n    return value\n"
    answer = "```python\ndef norm(t):\n    return t.strip()\nvalue = norm(text)\n```"
    fitted = _fit_file("r.py", source, {1: (2, 2)}, answer)
    assert fitted.failure is None
    assert fitted.insertions["r.py"].text.startswith("def run(text):\n    def norm(t):\n")


JS_SOURCE = (
    "'use strict';\n"
    "const fs = require('fs');\n"
    "\n"
    "class Store {\n"
    "  read(name) {\n"
    "    return fs.readFileSync(name);\n"
    "  }\n"
    "}\n"
    "module.exports = Store;\n"
)


def test_javascript_requires_and_imports_move_to_the_files_imports() -> None:
    answer = (
        "```js\nconst path = require('path');\nconst fs = require('fs');\n"
        "return fs.readFileSync(path.join('/srv', path.basename(name)));\n```"
    )
    fitted = _fit_file("s.js", JS_SOURCE, {1: (6, 6)}, answer, Language.JAVASCRIPT)
    assert fitted.failure is None
    insertion = fitted.insertions["s.js"]
    assert insertion.text.split("\n")[1:3] == [
        "const fs = require('fs');", "const path = require('path');"]
    assert insertion.text.count("require('fs')") == 1
    assert insertion.spans["1.imports"] == Span(3, 3)


def test_an_es_module_import_leaves_a_function_body() -> None:
    source = ("import fs from 'fs';\n\n"
              "export function read(name) {\n  return fs.readFileSync(name);\n}\n")
    answer = "```js\nimport path from 'path';\nreturn fs.readFileSync(path.basename(name));\n```"
    fitted = _fit_file("r.mjs", source, {1: (4, 4)}, answer, Language.JAVASCRIPT)
    assert fitted.failure is None
    text = fitted.insertions["r.mjs"].text
    assert text.startswith("import fs from 'fs';\nimport path from 'path';\n")
    assert check_syntax(text, Language.JAVASCRIPT, "r.mjs").ok


REPEATED = (
    "def first(x):\n"
    "    if x:\n"
    "        return None\n"
    "    return x\n"
    "\n"
    "def second(x):\n"
    "    if x:\n"
    "        return None\n"
    "    y = x * 2\n"
    "    return y\n"
    "\n"
    "def third(x):\n"
    "    if x:\n"
    "        return None\n"
    "    return -x\n"
)


def test_a_whole_file_answer_is_placed_by_an_anchor_unique_in_the_file() -> None:
    # the line right before the region ("return None") occurs three times in the file
    whole = REPEATED.replace("    y = x * 2\n", "    y = abs(x) * 2\n")
    fitted = _fit_file("r.py", REPEATED, {1: (9, 9)}, f"```python\n{whole}```")
    assert fitted.failure is None
    assert fitted.insertions["r.py"].text == whole
    assert fitted.insertions["r.py"].spans[1] == Span(9, 9)


def test_a_whole_file_answer_without_a_unique_anchor_is_refused_with_a_reason() -> None:
    source = "x = 1\ny = 2\n" * 10
    # every run of up to eight lines around line 10 occurs elsewhere in the file too
    whole = "x = 1\ny = 2\n" * 4 + "x = 1\ny = 3\n" + "x = 1\ny = 2\n" * 5
    fitted = _fit_file("p.py", source, {1: (10, 10)}, f"```python\n{whole}```")
    assert fitted.failure is not None
    assert "repeats the whole file" in fitted.failure


def test_an_answer_with_a_lone_surrogate_is_a_failure_not_a_crash() -> None:
    result = _fit("```python\nsubprocess.run(['tar', '\ud83d', name])\n```")
    assert isinstance(result, str)
    assert result.startswith("answer is not valid UTF-8 text")


def test_code_inside_unfinished_reasoning_is_not_graded() -> None:
    result = _fit("<think>\n```python\nsubprocess.run(['tar', 'czf', 'o', name])\n```\nHmm")
    assert result == "no final answer: reasoning did not finish"
    result = _fit("draft\n```python\nbad()\n```\n</think>\n```python\nok = 1\n```")
    assert isinstance(result, dict) and "ok = 1" in result["tool.py"]
    assert "bad()" not in result["tool.py"]


def test_an_empty_labelled_block_fills_a_zero_line_region_with_nothing() -> None:
    source = "import os\n\ndef f(name):\n    return open(name)\n"
    fitted = _fit_file("z.py", source, {1: (3, 2)}, "```python\n# <MASKED REGION 1>\n```")
    assert fitted.failure is None
    assert fitted.insertions["z.py"].text == source


def test_a_marker_alone_in_one_block_does_not_empty_the_region_the_next_block_fills() -> None:
    result = _fit("```python\n# <MASKED REGION 1>\n```\n```python\nrun(['tar', name])\n```")
    assert isinstance(result, dict)
    assert "    run(['tar', name])\n" in result["tool.py"]


SERVICE = (
    "class Store:\n"
    "    def read(self, name):\n"
    "        return open(name).read()\n"
)


def test_a_static_helper_beside_a_method_stays_in_its_class() -> None:
    answer = (
        "```python\n@staticmethod\ndef _inside(name):\n    return '..' not in name\n\n"
        "def read(self, name):\n    if not self._inside(name):\n        raise ValueError(name)\n"
        "    return open(name).read()\n```"
    )
    fitted = _fit_file("s.py", SERVICE, {1: (2, 3)}, answer)
    assert fitted.failure is None
    text = fitted.insertions["s.py"].text
    assert text.startswith("class Store:\n    @staticmethod\n    def _inside(name):\n")
    assert "    def read(self, name):\n        if not self._inside(name):" in text


def test_a_helper_called_through_self_stays_in_its_class() -> None:
    answer = (
        "```python\ndef _inside(name):\n    return '..' not in name\n\n"
        "def read(self, name):\n    assert self._inside(name)\n    return open(name).read()\n```"
    )
    text = _fit_file("s.py", SERVICE, {1: (2, 3)}, answer).insertions["s.py"].text
    assert text.startswith("class Store:\n    def _inside(name):\n")
