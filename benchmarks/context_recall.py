"""How much of what the hidden code needs does each context strategy show the model?

For every instance of a dataset (default: the built-in one), the target is the set of names the
hidden original region uses that are defined in *other* files of the project (found by the
index's tree-sitter definitions). A strategy's recall is the share of those names whose defining
chunk overlaps a snippet of its context, at the given token budget. No model is involved, so
this is a cheap proxy to compare retrieval strategies. Prints recall per strategy.
Run: `.venv/bin/python benchmarks/context_recall.py [DATASET] [BUDGET]`.
"""

from __future__ import annotations

import re
import sys
import time

from asebench.context.model import ContextRequest
from asebench.context.recent_indexes import RecentIndexes
from asebench.context.registry import get_strategy
from asebench.dataset.load import load_dataset
from asebench.harness.prepare import open_instance

_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
STRATEGIES = ("bm25", "graph")


def main() -> None:
    dataset = sys.argv[1] if len(sys.argv) > 1 else "builtin"
    budget = int(sys.argv[2]) if len(sys.argv) > 2 else 4000
    strategies = {name: get_strategy(name) for name in STRATEGIES}
    indexes = RecentIndexes()
    recalls: dict[str, list[float]] = {name: [] for name in STRATEGIES}
    seconds: dict[str, float] = dict.fromkeys(STRATEGIES, 0.0)
    for instance in load_dataset(dataset).instances:
        tree, task = open_instance(instance)
        request = ContextRequest(
            tree=tree.root, masked_files={f.path: f.text for f in task.files},
            language=instance.language, budget_tokens=budget, tree_digest=tree.digest,
        )
        index = indexes.index_for(request)
        hidden = "\n".join(text for f in task.files for text in f.originals.values())
        masked = set(request.masked_files)
        targets = {
            name: [index.chunks[row] for row in index.rows_defining(name)
                   if index.chunks[row].path not in masked]
            for name in set(_IDENTIFIER.findall(hidden))
        }
        targets = {name: chunks for name, chunks in targets.items() if chunks}
        if not targets:
            continue
        for name, strategy in strategies.items():
            started = time.perf_counter()
            context = strategy.build(request)
            seconds[name] += time.perf_counter() - started
            found = sum(
                any(s.path == c.path and s.start_line <= c.end_line and c.start_line <= s.end_line
                    for c in chunks for s in context.snippets)
                for chunks in targets.values()
            )
            recalls[name].append(found / len(targets))
        print(f"{instance.id:34} names defined elsewhere: {len(targets):3}  " + "  ".join(
            f"{name} {100 * recalls[name][-1]:5.1f}%" for name in STRATEGIES))
    print(f"\nbudget {budget} tokens; instances with such names: {len(recalls['bm25'])}")
    for name in STRATEGIES:
        values = recalls[name]
        mean = 100 * sum(values) / len(values) if values else 0.0
        print(f"{name:6} mean recall {mean:5.1f}%   total build time {seconds[name]:.2f} s")


if __name__ == "__main__":
    main()
