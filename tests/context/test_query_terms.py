from __future__ import annotations

from asebench.context.markers import DEFAULT_MARKER_PATTERN
from asebench.context.query import enclosing_headers, import_lines, query_terms

MASKED = """import hashlib
from app.tokens import compare_digest

class TokenChecker:
    def check(self, supplied):
        expected = self.expected_token
        # <MASKED REGION 1>
        return result
"""


def test_the_query_holds_the_imports_the_enclosing_signature_and_nearby_names() -> None:
    terms = set(query_terms({"app/check.py": MASKED}, DEFAULT_MARKER_PATTERN))

    assert {
        "hashlib",
        "compare_digest",
        "token",
        "checker",
        "check",
        "supplied",
        "expected",
    } <= terms


def test_the_marker_line_itself_is_left_out() -> None:
    terms = query_terms({"app/check.py": MASKED}, DEFAULT_MARKER_PATTERN)

    assert "masked" not in terms
    assert "region" not in terms


def test_enclosing_headers_are_found_by_indentation() -> None:
    lines = MASKED.split("\n")

    assert [lines[row] for row in enclosing_headers(lines, 6)] == [
        "    def check(self, supplied):",
        "class TokenChecker:",
    ]


def test_go_import_blocks_count_as_imports() -> None:
    lines = ["package main", "", "import (", '\t"net/http"', '\t"strings"', ")", "", "func f() {}"]

    assert import_lines(lines) == [0, 2, 3, 4, 5]
