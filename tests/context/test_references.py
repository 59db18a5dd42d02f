from __future__ import annotations

from asebench.context.markers import DEFAULT_MARKER_PATTERN
from asebench.context.references import FAR_WEIGHT, NEAR_WEIGHT, referenced_names

FILLER = "\n" * 60


def test_names_used_next_to_the_marker_weigh_most() -> None:
    text = f"def run(job):\n    # <MASKED>\n    schedule(job)\n{FILLER}cleanup_later()\n"

    weights = referenced_names("jobs.py", text, DEFAULT_MARKER_PATTERN)

    assert weights["schedule"] == NEAR_WEIGHT
    assert weights["cleanup_later"] == FAR_WEIGHT


def test_names_the_file_defines_itself_are_not_references() -> None:
    text = "def local_helper():\n    return 1\n\n\ndef run():\n    # <MASKED>\n    local_helper()\n"

    weights = referenced_names("jobs.py", text, DEFAULT_MARKER_PATTERN)

    assert "local_helper" not in weights
    assert "run" not in weights
