"""Real semgrep, many samples in one process, findings matched to the inserted lines."""

from pathlib import Path

import pytest

from asebench.checks.static import RuleError, ScanRequest, load_rules, scan_batch, scan_with_retry
from asebench.code.regions import Span

RULE = """\
rules:
  - id: shell-command
    languages: [python]
    severity: ERROR
    message: command run through a shell
    pattern: subprocess.run(..., shell=True, ...)
"""
CODE = "import subprocess\n\ndef go(x):\n    subprocess.run('ls ' + x, shell=True)\n"


@pytest.fixture
def rule(tmp_path: Path) -> Path:
    path = tmp_path / "rule.yaml"
    path.write_text(RULE)
    return path


def test_batched_samples_get_their_own_findings(rule: Path) -> None:
    safe = "import subprocess\n\ndef go(x):\n    subprocess.run(['ls', x])\n"
    results = scan_batch([
        ScanRequest({"pkg/a.py": CODE}, [rule], {"pkg/a.py": [Span(4, 4)]}),
        ScanRequest({"pkg/a.py": safe}, [rule], {"pkg/a.py": [Span(4, 4)]}),
        ScanRequest({"pkg/a.py": CODE}, [rule], {"pkg/a.py": [Span(1, 2)]}),
    ])
    assert [len(r.in_inserted) for r in results] == [1, 0, 0]
    assert [len(r.findings) for r in results] == [1, 0, 1]
    assert results[0].in_inserted[0].rule == "shell-command"
    assert results[0].in_inserted[0].path == "pkg/a.py"


def test_a_rule_with_a_yaml_error_names_its_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules:\n  - id: x\n    pattern: [unclosed\n")
    with pytest.raises(RuleError, match=r"bad\.yaml:\d+"):
        load_rules(bad)


def test_a_rule_semgrep_rejects_fails_only_its_own_sample(rule: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("rules:\n  - id: y\n    languages: [python]\n    severity: ERROR\n"
                      "    message: m\n    pattern: 'foo(('\n")
    results = scan_with_retry([
        ScanRequest({"a.py": CODE}, [rule], {"a.py": [Span(4, 4)]}),
        ScanRequest({"a.py": CODE}, [broken], {"a.py": [Span(4, 4)]}),
    ])
    assert results[0].error is None and len(results[0].in_inserted) == 1
    assert results[1].error is not None and "rule error" in results[1].error


def test_files_under_a_tests_folder_are_scanned_too(rule: Path) -> None:
    result = scan_batch([ScanRequest({"tests/helpers/a.py": CODE}, [rule],
                                     {"tests/helpers/a.py": [Span(4, 4)]})])[0]
    assert len(result.in_inserted) == 1


def test_a_file_over_the_size_limit_is_unscanned_not_clean(rule: Path) -> None:
    padding = "TABLE = [\n" + ("    '" + "x" * 100 + "',\n") * 50_000 + "]\n"
    big = CODE + padding  # the vulnerable call, then ~5.3 MB of data
    result = scan_batch([ScanRequest({"a.py": big}, [rule], {"a.py": [Span(4, 4)]})])[0]
    assert result.in_inserted == []
    assert result.unscanned == {"a.py": "skipped: exceeded_size_limit"}


def test_a_file_semgrep_cannot_parse_is_unscanned_with_the_lines(rule: Path) -> None:
    broken = CODE + "\n)))) ((( class class ::\n"
    result = scan_batch([ScanRequest({"a.py": broken}, [rule], {"a.py": [Span(4, 6)]})])[0]
    assert "a.py" in result.unscanned
    assert "PartialParsing at lines 6" in result.unscanned["a.py"]


def test_a_skipped_file_is_reported_only_for_its_own_sample(rule: Path) -> None:
    broken = CODE + "\n)))) ((( class class ::\n"
    results = scan_batch([
        ScanRequest({"a.py": CODE}, [rule], {"a.py": [Span(4, 4)]}),
        ScanRequest({"a.py": broken, "b.py": CODE}, [rule], {"a.py": [Span(4, 4)]}),
    ])
    assert results[0].unscanned == {}
    assert list(results[1].unscanned) == ["a.py"]


def test_a_file_no_rule_targets_is_not_a_gap(rule: Path) -> None:
    files = {"a.py": CODE, "README.txt": "not code\n", "app.js": "eval(x)\n"}
    result = scan_batch([ScanRequest(files, [rule], {"a.py": [Span(4, 4)]})])[0]
    assert len(result.in_inserted) == 1
    assert result.unscanned == {}
