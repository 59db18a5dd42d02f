"""The CSV and HTML reports hold every sample, and the HTML escapes what models wrote."""

import csv
from pathlib import Path

from asebench.checks.verdict import Verdict
from asebench.report.summary import summarise
from asebench.report.tables import render_html, write_csv
from asebench.results import JudgedSample

META = {"instance": {"cwe": "CWE-79", "language": "php", "severity": "high"}}


def _summary() -> dict[str, object]:
    judged = [
        JudgedSample("a", 1, "x", Verdict(instance="a", rules_run=1), META),
        JudgedSample("a", 2, "<script>", Verdict(instance="a",
                                                 answer_failure="<script>alert(1)</script>"), META),
    ]
    return summarise(judged)


def test_csv_has_one_row_per_sample(tmp_path: Path) -> None:
    path = tmp_path / "samples.csv"
    write_csv(_summary(), path)
    rows = list(csv.DictReader(path.open()))
    assert [(r["instance"], r["cycle"], r["secure"]) for r in rows] == [
        ("a", "1", "True"), ("a", "2", "False")]


def test_unjudged_samples_are_listed_in_both_files(tmp_path: Path) -> None:
    summary = summarise([JudgedSample("b", 1, "x", Verdict(instance="b"), META)])
    path = tmp_path / "samples.csv"
    write_csv(summary, path)
    row = next(csv.DictReader(path.open()))
    assert (row["outcome"], row["secure"]) == ("unjudged", "")
    page = render_html(summary)
    assert "unjudged samples" in page and "no semgrep rule" in page


def test_html_escapes_untrusted_text() -> None:
    page = render_html(_summary())
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "CWE-79" in page
