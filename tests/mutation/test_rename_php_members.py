"""rename-attributes on PHP: private properties and methods of a class around a masked region
are renamed with every `$this->`, `self::` occurrence (the mutant prints what the upstream
program prints under the real php), and members reached by text are refused with the reason."""

from __future__ import annotations

import random
import textwrap
from pathlib import Path

from same_output import same_output

from asebench.dataset.schema import Language
from asebench.mutation.candidates import Surroundings
from asebench.mutation.edits import Span
from asebench.mutation.name_map import NameMap
from asebench.mutation.outcome import FileState
from asebench.mutation.rename import candidates, rename

GREETER = textwrap.dedent('''\
    <?php
    final class Greeter {
        private string $greeting;
        private static $count = 0;
        public $name = 'public';

        public function __construct(string $greeting) {
            $this->greeting = $greeting;
        }

        public function greet(string $who): string {
            self::$count++;
            return $this->decorate($who) . ' #' . static::$count;
        }

        private function decorate(string $who): string {
            return $this->greeting . ', ' . $who . ' ' . $this?->name;
        }
    }
    $g = new Greeter('Hello');
    echo $g->greet('Ada'), "\\n", $g->greet('Bob'), "\\n";
    ''')


def _attributes(source: str, region: Span, others: dict[str, str] | None = None
                ) -> tuple[str, list[str], list[str]]:
    around = Surroundings([region], others or {})
    outcome = rename("attribute", Language.PHP, FileState("m.php", source, [region]),
                     random.Random(3), around)
    return outcome.text, sorted(outcome.names.attribute), outcome.refusals


def test_private_members_are_renamed_everywhere_in_the_class(tmp_path: Path) -> None:
    mutant, renamed, refusals = _attributes(GREETER, Span(12, 13))
    assert renamed == ["count", "decorate", "greeting"] and not refusals
    for old in ("->greeting", "::$count", "->decorate(", "string $greeting;", "function decorate"):
        assert old not in mutant
    assert "$this?->name" in mutant and "public function greet" in mutant
    same_output(tmp_path, "php", "php m.php", "m.php", GREETER, mutant)


def test_members_reached_by_text_or_on_another_object_are_refused() -> None:
    cases = {
        "appears in a string literal": GREETER.replace(
            "$this->decorate($who)", "array_map([$this, 'decorate'], [$who])[0]"),
        "the class defines __get()": GREETER.replace(
            "    private function decorate",
            "    public function __get($n) { return $this->$n; }\n    private function decorate"),
        "reached on $other": GREETER.replace(
            "return $this->greeting . ', '",
            "$other = $this; return $other->greeting . ', '"),
    }
    for reason, source in cases.items():
        found = candidates(Language.PHP, FileState("m.php", source, [Span(12, 13)]),
                           Surroundings([Span(12, 13)]))
        refusals = [c.refusal or "" for c in found if c.kind == "attribute"
                    and c.name in ("greeting", "decorate")]
        assert refusals and any(r.startswith(reason) for r in refusals), reason


def test_a_member_named_in_the_test_is_refused() -> None:
    around = Surroundings([Span(12, 13)], {"test.php": "assert($g->greeting === 'x');"})
    found = candidates(Language.PHP, FileState("m.php", GREETER, [Span(12, 13)]), around)
    refusal = next(c.refusal for c in found if c.name == "greeting")
    assert refusal == "named in test.php"


def test_a_gold_snippet_and_a_rule_get_the_member_names_but_variables_keep_theirs() -> None:
    names = NameMap(attribute={"inner": "calm_delta"})
    gold = "    $inner = $this->inner->render($node);\n    return $inner;\n"
    assert names.apply_code(gold, Language.PHP) == (
        "    $inner = $this->calm_delta->render($node);\n    return $inner;\n")
    assert names.apply_rule_text("pattern: $this->inner->render($N)") == (
        "pattern: $this->calm_delta->render($N)")
