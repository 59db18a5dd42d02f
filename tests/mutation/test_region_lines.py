"""Two faults seen on real mutants, each reduced to a small example.

lodash: swapping an `if` whose parenthesised condition closes on a line of its own dropped
that line, so every masked region below it was one line off (the mask hid the wrong lines;
`distance` showed 9.7% of the region's identifiers "renamed" with no rename). mako: a local
`match` renamed also renamed the word `match` in a rule's `metavariable-regex` that names
the method `self.match`, so the renamed rule flagged nothing and the mutant was discarded.
"""

from __future__ import annotations

import random
import textwrap

from asebench.dataset.schema import Language
from asebench.mutation.edits import Span
from asebench.mutation.engine import mutate_sources
from asebench.mutation.if_swap import swap_if_else
from asebench.mutation.name_map import NameMap
from asebench.mutation.outcome import FileState
from asebench.mutation.rules import rename_rule_file

JAVASCRIPT = textwrap.dedent('''\
    function wrap(data, f) {
      var out;
      if (data &&
            data.length > 1
          ) {
        out = f(data[0]);
      } else {
        out = f(null);
      }
      return out;
    }

    function masked(value) {
      return value + 1;
    }
    ''')
REGION = Span(14, 14)  # the body of masked


def _lines(text: str, span: Span) -> list[str]:
    return text.split("\n")[span.start - 1:span.end]


def test_a_condition_closed_on_its_own_line_keeps_its_lines_when_swapped() -> None:
    outcome = swap_if_else(Language.JAVASCRIPT, FileState("w.js", JAVASCRIPT, [REGION]),
                           random.Random(0))
    assert outcome.changes, outcome.refusals
    assert outcome.text.count("\n") == JAVASCRIPT.count("\n")
    assert "if (!(data &&" in outcome.text and "      ) {\n    out = f(null);" in outcome.text
    assert _lines(outcome.text, outcome.regions[0]) == _lines(JAVASCRIPT, REGION)


def test_the_engine_keeps_every_region_on_its_lines() -> None:
    result = mutate_sources({"w.js": JAVASCRIPT}, {0: ("w.js", REGION)},
                            language=Language.JAVASCRIPT, seed=3,
                            operators=["swap-if-else", "reorder-definitions"], others={})
    assert _lines(result.texts["w.js"], result.spans[0]) == _lines(JAVASCRIPT, REGION)


RULE = textwrap.dedent('''\
    rules:
      - id: regex-call
        languages: [python]
        severity: ERROR
        message: a regular expression that backtracks
        patterns:
          - pattern: $O.$M("$RE", ...)
          - metavariable-regex:
              metavariable: $M
              regex: ^(search|match|compile)$
          - pattern-not-inside: |
              $X = _checked(...)
              ...
    ''')


def test_a_renamed_local_leaves_the_method_a_metavariable_regex_names() -> None:
    renamed = rename_rule_file(RULE, NameMap({"match": "found", "_checked": "_vetted"}, {}))
    assert "regex: ^(search|match|compile)$" in renamed
    assert "_vetted(...)" in renamed


def test_a_renamed_method_is_renamed_in_the_metavariable_regex() -> None:
    renamed = rename_rule_file(RULE, NameMap({}, {"match": "lookup"}))
    assert "regex: ^(search|lookup|compile)$" in renamed


def test_a_regex_escape_is_not_a_name() -> None:
    rule = "rules:\n- id: r\n  pattern-regex: \\s+open\\(s\\)\n"
    renamed = rename_rule_file(rule, NameMap({"s": "size", "open": "load"}, {}))
    assert "\\s+load\\(size\\)" in renamed
