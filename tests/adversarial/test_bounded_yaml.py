"""A dataset's YAML is read with limits: size, UTF-8, alias expansion and nesting depth."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from asebench.dataset.bounded_yaml import (
    YamlLimitError,
    load_bounded,
    parse_bounded,
)


def laughs(levels: int, width: int = 9) -> str:
    """A "billion laughs" document: each level lists the previous one `width` times."""
    lines = [f"l0: &l0 [{', '.join(['lol'] * width)}]"]
    for level in range(1, levels):
        lines.append(f"l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


def test_a_one_kilobyte_alias_bomb_is_refused_before_it_is_built() -> None:
    bomb = laughs(9)  # 9**9 = 387 million strings once expanded
    assert len(bomb) < 1024
    with pytest.raises(YamlLimitError, match="alias bomb"):
        parse_bounded(bomb)


def test_anchors_that_reuse_a_small_mapping_are_accepted() -> None:
    text = "base: &base {timeout: 30}\npoc: {<<: *base, run: [python]}\ntest: *base\n"
    assert parse_bounded(text) == {
        "base": {"timeout": 30}, "poc": {"timeout": 30, "run": ["python"]},
        "test": {"timeout": 30}}


def test_an_alias_inside_its_own_anchor_is_refused() -> None:
    with pytest.raises(YamlLimitError, match="contains it"):
        parse_bounded("a: &a [1, *a]\n")


def test_deep_nesting_is_refused_not_a_recursion_crash() -> None:
    with pytest.raises(YamlLimitError, match="nested"):
        parse_bounded("[" * 5000 + "]" * 5000)
    with pytest.raises(YamlLimitError, match="nested deeper than 200"):
        parse_bounded("[" * 250 + "]" * 250)


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 2000 + "\n")
    with pytest.raises(YamlLimitError, match="larger than the limit of 1000 bytes"):
        load_bounded(path, max_bytes=1000)


def test_a_file_that_is_not_utf8_names_the_byte_and_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"id: x\ndescription: caf\xe9\n")
    with pytest.raises(YamlLimitError, match=r"not UTF-8: byte 0xe9 at offset 22 \(line 2\)"):
        load_bounded(path)


def test_text_that_is_not_yaml_is_a_yaml_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("a: [1, 2\n")
    with pytest.raises(yaml.MarkedYAMLError):
        load_bounded(path)


def test_python_tags_are_not_constructed() -> None:
    with pytest.raises(yaml.YAMLError):
        parse_bounded("x: !!python/object/apply:os.system ['true']\n")
