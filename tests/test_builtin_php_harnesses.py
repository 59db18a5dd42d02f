"""The PHP programs that built-in PHP instances run in the candidate's sandbox (harness/*.php)
are valid PHP: a syntax error there would make every PoC and test of the instance undecided."""

import shutil
import subprocess
from pathlib import Path

import pytest

from asebench.dataset.load import load_dataset

PHP_HARNESSES = sorted(
    program
    for instance in load_dataset("builtin").instances
    if instance.language == "php" and instance.root is not None
    for program in (Path(instance.root) / "harness").glob("*.php")
)


def test_every_real_php_instance_has_a_harness() -> None:
    real = [i.id for i in load_dataset("builtin").instances
            if i.language == "php" and not i.synthetic]
    with_harness = {p.parent.parent.name for p in PHP_HARNESSES}
    assert real and set(real) <= with_harness


@pytest.mark.skipif(shutil.which("php") is None, reason="php-cli is not installed")
@pytest.mark.parametrize("program", PHP_HARNESSES, ids=lambda p: p.parent.parent.name)
def test_php_harness_parses(program: Path) -> None:
    done = subprocess.run(["php", "-l", str(program)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
