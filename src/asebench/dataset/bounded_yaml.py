"""Read a dataset's YAML (records, rule files) as untrusted input: bounded in size and shape.

A dataset comes from anyone, so its YAML is read with limits before anything trusts it:

- the file is read up to `MAX_BYTES` (a larger file is refused without being read whole);
- it must be UTF-8 (the offending byte offset is named, never a traceback);
- the document may hold at most `MAX_NODES` nodes once every alias is expanded: anchors and
  aliases that merely reuse a mapping are fine, but a "billion laughs" document of 1 KB that
  expands to 40 million strings is refused after counting its few dozen composed nodes (the
  count walks the composed graph once, remembering each node's expanded size), and an alias
  that contains itself is refused;
- nesting deeper than `MAX_DEPTH` is refused (deeper than the parser can recurse, a
  `RecursionError` of the parser is turned into the same refusal).

Only PyYAML's safe loader builds the objects, and only after these checks passed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

MAX_BYTES = 1024 * 1024
"""The largest YAML file a dataset may hold (1 MiB; the built-in records are under 4 KiB)."""
MAX_NODES = 100_000
"""The most nodes a document may expand to, aliases counted as often as they are used."""
MAX_DEPTH = 200
"""The deepest nesting of collections allowed (PyYAML's composer recurses per level)."""


class YamlLimitError(ValueError):
    """A YAML file that could not be read within the limits; the message says which and why."""


def read_bounded(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of `path`, refusing a file larger than `max_bytes` (`YamlLimitError`)."""
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise YamlLimitError(f"cannot read: {exc.strerror or exc}") from exc
    if len(data) > max_bytes:
        raise YamlLimitError(f"larger than the limit of {max_bytes} bytes")
    return data


def decode_utf8(data: bytes) -> str:
    """`data` as UTF-8 text, or `YamlLimitError` naming the first offending byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlLimitError(
            f"not UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start} (line {line})"
        ) from exc


def expanded_size(root: Node, max_nodes: int = MAX_NODES, max_depth: int = MAX_DEPTH) -> int:
    """How many nodes `root` holds once every alias is expanded; `YamlLimitError` past
    `max_nodes`, deeper than `max_depth`, or on an alias that contains itself. Each distinct
    node is counted once and its size reused, so the walk costs the composed size, not the
    expanded one."""
    sizes: dict[int, int] = {}
    depths: dict[int, int] = {}
    in_progress: set[int] = set()
    # iterative post-order walk: (node, children pushed yet?)
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        key = id(node)
        if key in sizes:
            continue
        children = _children(node)
        if not expanded:
            if key in in_progress:
                raise YamlLimitError("an alias refers to a node that contains it")
            in_progress.add(key)
            stack.append((node, True))
            for child in children:
                if id(child) in in_progress:
                    raise YamlLimitError("an alias refers to a node that contains it")
                if id(child) not in sizes:
                    stack.append((child, False))
            continue
        in_progress.discard(key)
        size = 1 + sum(sizes[id(child)] for child in children)
        depth = 1 + max((depths[id(child)] for child in children), default=0)
        if depth > max_depth:
            raise YamlLimitError(f"nested deeper than {max_depth} levels")
        if size > max_nodes:
            raise YamlLimitError(
                f"expands to more than {max_nodes} nodes through anchors and aliases "
                "(an alias bomb?)")
        sizes[key] = size
        depths[key] = depth
    return sizes[id(root)]


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def parse_bounded(text: str, *, max_nodes: int = MAX_NODES, max_depth: int = MAX_DEPTH) -> Any:
    """The object of one YAML document `text`, built by the safe loader after the shape checks.

    Raises `YamlLimitError` for too deep or too large (after alias expansion) a document, and
    `yaml.YAMLError` for text that is not YAML.
    """
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        expanded_size(node, max_nodes, max_depth)
        return loader.construct_document(node)
    except RecursionError as exc:
        raise YamlLimitError("nested too deeply to parse") from exc
    finally:
        loader.dispose()


def load_bounded(path: Path, *, max_bytes: int = MAX_BYTES) -> Any:
    """The YAML document in `path`, read and parsed within the limits of this module.

    Raises `YamlLimitError` (unreadable, too large, not UTF-8, too deep, alias bomb) and
    `yaml.YAMLError` (not YAML; a `MarkedYAMLError` carries the line).
    """
    return parse_bounded(decode_utf8(read_bounded(path, max_bytes)))
