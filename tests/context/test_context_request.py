from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from asebench.context import ContextRequest
from asebench.dataset.schema import Language


def make(masked_path: str) -> ContextRequest:
    return ContextRequest(
        tree=Path("/project"),
        masked_files={masked_path: "x = 1\n"},
        language=Language.PYTHON,
        budget_tokens=100,
        tree_digest="d",
    )


def test_masked_paths_are_normalised_so_they_match_the_index_paths() -> None:
    assert list(make("./app/views.py").masked_files) == ["app/views.py"]
    assert list(make("app\\views.py").masked_files) == ["app/views.py"]


@pytest.mark.parametrize("path", ["/etc/passwd", "../outside.py", ""])
def test_paths_outside_the_tree_are_refused(path: str) -> None:
    with pytest.raises(ValidationError):
        make(path)
