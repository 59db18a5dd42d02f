"""Shared by poc.py and test.py (judge side): render tickets with the candidate's HtmlReport,
in the candidate's sandbox, through the same small PHP program."""

import json
from pathlib import Path
from typing import Any

from asebench_probe import Completed, candidate

PROGRAM = (Path(__file__).parent / "harness" / "render.php").read_text()


def render(title: str, tickets: list[dict[str, Any]]) -> dict[str, str] | str:
    """{"html": ..., "row": ...}, or why there is none."""
    done = candidate.run(["php", "-d", "display_errors=stderr", "-r",
                          PROGRAM.removeprefix("<?php"), json.dumps([title, tickets])],
                         timeout=30)
    if not isinstance(done, Completed):
        return str(done)
    if done.exit_code != 0:
        return f"php exited with code {done.exit_code}: {done.stderr[-400:]}"
    try:
        got = json.loads(done.stdout)
    except json.JSONDecodeError:
        return f"no JSON from php: {done.stdout[-300:]!r} {done.stderr[-300:]}"
    if not isinstance(got, dict) or not all(isinstance(got.get(k), str) for k in ("html", "row")):
        return f"unexpected output from php: {done.stdout[-300:]!r}"
    return got
