"""The variant format: front matter saying what the variant is, then the answer."""

from __future__ import annotations

from pathlib import Path

from asebench.dataset.variants import Variant, coverage_problems, load_variants, read_variant

ANSWER = "```python\n# <MASKED REGION 1>\nreturn 1\n```\n"


def _write(root: Path, name: str, front: str, body: str = ANSWER) -> Path:
    folder = root / "variants"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.md"
    path.write_text(f"---\n{front}\n---\n{body}")
    return path


def test_a_vulnerable_variant_reads_with_its_bypass(tmp_path: Path) -> None:
    path = _write(tmp_path, "v1", "expect: vulnerable\nkind: rewrite\nidiom: popen\n"
                  "bypass: 'a; touch x'")
    variant = read_variant(path, "inst")
    assert isinstance(variant, Variant)
    assert (variant.expect, variant.kind, variant.bypass) == ("vulnerable", "rewrite", "a; touch x")
    assert variant.answer == ANSWER


def test_each_missing_statement_is_a_named_problem(tmp_path: Path) -> None:
    cases = {
        "no-expect": ("idiom: x", "variants.expect"),
        "no-bypass": ("expect: vulnerable\nidiom: x", "variants.bypass"),
        "no-idiom": ("expect: secure", "variants.idiom"),
        "bad-yaml": ("expect: secure\nidiom: 'a' b", "variants"),
    }
    for name, (front, field) in cases.items():
        problem = read_variant(_write(tmp_path, name, front), "inst")
        assert not isinstance(problem, Variant) and problem.field == field, name
        assert problem.file is not None and problem.file.name == f"{name}.md"


def test_a_file_without_front_matter_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "variants"
    folder.mkdir()
    (folder / "plain.md").write_text(ANSWER)
    variants, problems = load_variants(tmp_path, "inst")
    assert variants == [] and "front matter" in problems[0].message


def test_a_suite_needs_three_of_each_and_both_vulnerable_kinds(tmp_path: Path) -> None:
    _write(tmp_path, "s1", "expect: secure\nidiom: a")
    _write(tmp_path, "v1", "expect: vulnerable\nkind: rewrite\nidiom: b\nbypass: c")
    variants, problems = load_variants(tmp_path, "inst")
    assert problems == []
    messages = [p.message for p in coverage_problems(tmp_path, "inst", variants)]
    assert "1 secure variant(s), at least 3 needed" in messages
    assert "no vulnerable variant of kind 'bypassable-guard'" in messages


def test_an_instance_without_variants_has_none(tmp_path: Path) -> None:
    assert load_variants(tmp_path, "inst") == ([], [])
