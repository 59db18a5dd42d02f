"""for-while: counting `for` loops become `while` loops that the real interpreter or compiler
runs to the same output; the region after the loop moves with its code; unsafe loops are
refused with the reason."""

from __future__ import annotations

import random
import textwrap
from pathlib import Path

import pytest
from same_output import same_output

from asebench.dataset.schema import Language
from asebench.mutation import loops
from asebench.mutation.edits import Span
from asebench.mutation.loops import for_to_while
from asebench.mutation.outcome import FileState


@pytest.fixture(autouse=True)
def _every_site(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loops, "CHANGE_SHARE", 1.0)  # rewrite every eligible loop


def _rewritten(language: Language, path: str, source: str, region: Span
               ) -> tuple[str, list[str], list[str]]:
    outcome = for_to_while(language, FileState(path, source, [region]), random.Random(0))
    lines = outcome.text.split("\n")
    moved = outcome.regions[0]
    assert lines[moved.start - 1:moved.end] == source.split("\n")[region.start - 1:region.end]
    return outcome.text, outcome.changes, outcome.refusals


PYTHON = textwrap.dedent('''\
    def total(items, stop):
        found = 0
        for i in range(1, stop):  # skip the header
            found += items[i]
            if found > 9:
                break
        return found


    print([total([5, 4, 3, 2], n) for n in (0, 1, 3, 4)])
    ''')


def test_python_range_loop_becomes_while(tmp_path: Path) -> None:
    text, changes, _ = _rewritten(Language.PYTHON, "m.py", PYTHON, Span(7, 7))
    assert changes == ["for at line 3 -> while"]
    assert ("    i = 1\n    while i < stop:  # skip the header\n        found += items[i]\n"
            "        if found > 9:\n            break\n        i += 1\n    return found") in text
    same_output(tmp_path, "python3", "python3 m.py", "m.py", PYTHON, text)


def test_python_loops_that_would_change_meaning_are_refused() -> None:
    source = textwrap.dedent('''\
        def f(n):
            for i in range(n):
                if i % 2:
                    continue
            for j in range(n):
                j = 3
            for k in range(LIMIT):
                pass
            for m in range(3):
                pass
            return m
        ''')
    text, changes, refusals = _rewritten(Language.PYTHON, "m.py", source, Span(12, 11))
    assert text == source and not changes
    assert refusals == [
        "for at line 2: the body continues the loop (would skip the increment)",
        "for at line 5: the body assigns j",
        "for at line 7: LIMIT is not a local of the function (a call could change it)",
        "for at line 9: m is used outside the loop in the function",
    ]


JAVASCRIPT = textwrap.dedent('''\
    function weave(n) {
      let out = '';
      for (let i = 0, j = n; i < n; i++, j--) {
        out += `${i}${j}`;
      }
      return out;
    }
    console.log(weave(3), weave(0));
    ''')


def test_javascript_for_becomes_while(tmp_path: Path) -> None:
    text, changes, _ = _rewritten(Language.JAVASCRIPT, "m.js", JAVASCRIPT, Span(6, 6))
    assert changes == ["for at line 3 -> while"]
    assert "  let i = 0, j = n;\n  while (i < n) {\n    out += `${i}${j}`;\n    i++; j--;\n  }" \
        in text
    same_output(tmp_path, "node", "node m.js", "m.js", JAVASCRIPT, text)


def test_javascript_closures_over_a_let_loop_variable_are_refused() -> None:
    source = ("function f(n) {\n  const fs = [];\n  for (let i = 0; i < n; i++) {\n"
              "    fs.push(() => i);\n  }\n  return fs;\n}\n")
    text, _, refusals = _rewritten(Language.JAVASCRIPT, "m.js", source, Span(6, 6))
    assert text == source
    assert refusals == ["for at line 3: a closure in the body would see one binding instead "
                        "of one per iteration"]


JAVA = textwrap.dedent('''\
    public class Main {
        static int sum(int n) {
            int s = 0;
            for (int i = 0; i < n; i += 2) {
                s += i;
            }
            return s;
        }

        public static void main(String[] args) {
            System.out.println(sum(7) + " " + sum(0));
        }
    }
    ''')


def test_java_for_becomes_while(tmp_path: Path) -> None:
    text, _, _ = _rewritten(Language.JAVA, "Main.java", JAVA, Span(7, 7))
    assert "        int i = 0;\n        while (i < n) {\n            s += i;\n            i += 2;" \
        in text
    same_output(tmp_path, "java", "java Main.java", "Main.java", JAVA, text)


def test_java_body_ending_in_return_is_refused() -> None:
    source = ("class A {\n    int f(int n) {\n        for (int i = 0; i < n; i++) {\n"
              "            return i;\n        }\n        return -1;\n    }\n}\n")
    text, _, refusals = _rewritten(Language.JAVA, "A.java", source, Span(6, 6))
    assert text == source and refusals == [
        "for at line 3: the body does not end in a plain statement (the step could be "
        "unreachable)"]


C = textwrap.dedent('''\
    #include <stdio.h>

    static int sum(int n) {
        int s = 0, i;
        for (i = 0; i < n; i++) {
            s += i;
        }
        for (int k = 0; k < 3; k++) {
            int k = 1;
            s += k;
        }
        return s;
    }

    int main(void) {
        printf("%d %d\\n", sum(5), sum(0));
        return 0;
    }
    ''')


def test_c_for_becomes_while_and_a_shadowed_step_is_refused(tmp_path: Path) -> None:
    text, changes, refusals = _rewritten(Language.C, "m.c", C, Span(12, 12))
    assert changes == ["for at line 5 -> while"]
    assert "    i = 0;\n    while (i < n) {\n        s += i;\n        i++;\n    }" in text
    assert refusals == ["for at line 8: the body declares k, which the step uses"]
    same_output(tmp_path, "gcc", "gcc -o m m.c && ./m", "m.c", C, text)


PHP = textwrap.dedent('''\
    <?php
    function weave($n) {
        $out = "";
        for ($i = 0, $j = $n; $i < $n; $i++, $j--) {
            $out .= $i . $j;
        }
        return $out;
    }
    echo weave(3), "|", weave(0), "\\n";
    ''')


def test_php_for_becomes_while(tmp_path: Path) -> None:
    text, _, _ = _rewritten(Language.PHP, "m.php", PHP, Span(7, 7))
    assert "    $i = 0; $j = $n;\n    while ($i < $n) {\n        $out .= $i . $j;\n" \
           "        $i++; $j--;\n    }" in text
    same_output(tmp_path, "php", "php m.php", "m.php", PHP, text)


def test_a_loop_holding_a_masked_region_is_refused() -> None:
    text, changes, refusals = _rewritten(Language.PHP, "m.php", PHP, Span(5, 5))
    assert text == PHP and not changes
    assert refusals == ["for at line 4: touches a masked region"]


C_WHILE = textwrap.dedent('''\
    #include <stdio.h>

    static int digits(int n) {
        int count = 0;
        int i = 1;
        while (i <= n) {
            count++;
            i *= 10;
        }
        return count;
    }

    int main(void) {
        printf("%d %d %d\\n", digits(0), digits(7), digits(12345));
        return 0;
    }
    ''')


def test_c_counting_while_becomes_for(tmp_path: Path) -> None:
    text, changes, _ = _rewritten(Language.C, "m.c", C_WHILE, Span(10, 10))
    assert changes == ["while at line 6 -> for"]
    assert "    int count = 0;\n    for (int i = 1; i <= n; i *= 10) {\n        count++;\n    }" \
        in text
    same_output(tmp_path, "gcc", "gcc -o m m.c && ./m", "m.c", C_WHILE, text)


JAVASCRIPT_WHILE = textwrap.dedent('''\
    function skipOdd(items) {
      const out = [];
      let i = 0;
      while (i < items.length) {
        if (items[i] % 2) {
          i++;
          continue;
        }
        out.push(items[i]);
        i++;
      }
      let j;
      j = 0;
      while (j < out.length) {
        out[j] *= 10;
        j += 1;
      }
      return out;
    }
    console.log(skipOdd([1, 2, 3, 4]).join());
    ''')


def test_javascript_while_with_continue_is_refused_and_the_other_becomes_for(
        tmp_path: Path) -> None:
    text, changes, refusals = _rewritten(Language.JAVASCRIPT, "m.js", JAVASCRIPT_WHILE,
                                         Span(18, 18))
    assert changes == ["while at line 14 -> for"]
    assert refusals == ["while at line 4: the body continues the loop (the for would run the "
                        "step)"]
    assert "  let j;\n  for (j = 0; j < out.length; j += 1) {\n    out[j] *= 10;\n  }" in text
    same_output(tmp_path, "node", "node m.js", "m.js", JAVASCRIPT_WHILE, text)
