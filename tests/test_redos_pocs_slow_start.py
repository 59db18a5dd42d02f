"""The timing PoCs of ReDoS instances (CWE-1333) measure their budget from a control request on
the judge's clock, so a machine that starts every candidate process slowly (a loaded machine:
many samples at once) does not make the gold look vulnerable, and the vulnerable code still
fails.

The slow start is real: the candidate's module sleeps when it is imported (every request of
the PoC is a fresh process that imports it), longer than the fixed budget these PoCs used to
give a request start-up included. The real PoC runs in the real sandbox pair on the gold fix and
on the original code, each with that module sleeping.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from asebench.checks.dynamic import files_root
from asebench.checks.runner import CheckOutcome, DynamicCheck, run_check, write_files
from asebench.checks.sample_sandbox import bwrap_sandbox
from asebench.dataset.load import load_dataset
from asebench.dataset.selection import select
from asebench.opened_instance import open_instance

PYTHON_SLEEP = "\nimport time as _asebench_time\n_asebench_time.sleep({s})\n"
NODE_SLEEP = "\nAtomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, {ms});\n"

SLOW_START = {
    # instance: seconds each candidate process sleeps importing the masked file (the PoC's
    # fixed budget, 2.0 to 3.0 s, plus half a second or more)
    "sqlparse-CVE-2021-32839": 3.5,
    "mako-CVE-2022-40023": 3.5,
    "urllib3-CVE-2021-33503": 3.0,
    "path-to-regexp-CVE-2024-52798": 3.5,
    "django-CVE-2023-36053": 3.0,
    "jinja2-CVE-2020-28493": 3.0,
    "marked-CVE-2022-21680": 3.0,
    "marked-CVE-2022-21681": 3.0,
}

pytestmark = pytest.mark.network  # the instances' sources (fetched once into the cache)

IN_MAKE_TEST = ("mako-CVE-2022-40023", "marked-CVE-2022-21680")
"""A Python PoC with an import control and a node PoC whose budget grows with its control; the
other six run under `make validate` (`whole_dataset`: each case is a fetch and a sandbox pair
of real PoC runs, about 20-60 s)."""
INSTANCES = [pytest.param(i, marks=() if i in IN_MAKE_TEST else pytest.mark.whole_dataset)
             for i in sorted(SLOW_START)]


def _slowed(rel: str, text: str, seconds: float) -> str:
    """`text` of the file `rel`, sleeping `seconds` when loaded (appended at its end)."""
    if rel.endswith(".py"):
        return text + PYTHON_SLEEP.format(s=seconds)
    return text + NODE_SLEEP.format(ms=int(seconds * 1000))


def _poc(instance_id: str, which: str) -> CheckOutcome:
    """The PoC's outcome on the gold fix or the original code, slowed at start."""
    instance = select(load_dataset("builtin"), instance_id, "builtin").instances[0]
    tree, task = open_instance(instance)
    rel = task.files[0].path
    text = (task.gold_files()[rel] if which == "gold"
            else (Path(tree.root) / rel).read_text(encoding="utf-8"))
    files = {rel: _slowed(rel, text, SLOW_START[instance_id])}
    poc = instance.poc
    assert poc is not None

    async def run() -> CheckOutcome:
        async with bwrap_sandbox(instance, tree.root) as sandbox:
            await write_files(sandbox, files_root(instance), files)
            return await run_check(sandbox, DynamicCheck.native(poc, "poc"))

    return asyncio.run(run())


@pytest.mark.parametrize("instance_id", INSTANCES)
def test_the_gold_stays_safe_when_every_process_starts_slowly(instance_id: str) -> None:
    outcome = _poc(instance_id, "gold")

    assert outcome.verdict == "safe", outcome.detail or outcome.error or outcome.sandbox_error


@pytest.mark.parametrize("instance_id", INSTANCES)
def test_the_original_stays_vulnerable_when_every_process_starts_slowly(
    instance_id: str,
) -> None:
    outcome = _poc(instance_id, "original")

    assert outcome.verdict == "vulnerable", (outcome.detail or outcome.error
                                             or outcome.sandbox_error)
